import Foundation
import Gluster
import HostIO
import Testing

extension Integration {
    /// Issue 18's node drill, lean: the lab's outsider n4 joins the pool and holds one copy of a
    /// replica 3 volume; n4 dies (every gluster process of it killed); `node replace n4 n3` moves
    /// its brick onto a new disk of n3, heals, verifies, fixes auth.allow and detaches n4. n4 is
    /// then made an outsider again (its glusterd restarted with no pool), as the other tests expect.
    @Suite struct NodeReplaceLabTests {
        let lab: Lab
        let brickRoot = "/data/glusterfs/brick1/brick"

        init() throws {
            lab = try Lab.shared()
            let probe = try lab.brickctl("n1", ["peer", "probe", "n2", "n3"])
            try #require(probe.status == 0, "peer probe: \(probe.stderr)")
        }

        func sh(_ node: String, _ script: String, input: String? = nil) throws -> Command.Output {
            try lab.exec(node, ["sh", "-c", script], input: input)
        }

        func manifest(_ node: String, _ dir: String) throws -> String {
            let out = try sh(
                node,
                "cd '\(dir)' && find . -path ./.glusterfs -prune -o -type f -print | LC_ALL=C sort | while read -r f; do sha256sum \"$f\"; done"
            )
            try #require(out.status == 0, "manifest of \(node):\(dir): \(out.stderr)")
            return out.stdout
        }

        /// Kills every gluster process (glusterd, bricks, self-heal, clients) of `node`, by pid.
        func killGluster(_ node: String) throws {
            let out = try sh(
                node,
                "for p in $(cat /run/glusterd.pid) $(pgrep -x glusterfsd) $(pgrep -x glusterfs); do [ \"$(readlink /proc/$p/ns/net)\" = \"$(readlink /proc/self/ns/net)\" ] && echo $p; done"
            )
            for pid in out.stdout.split(separator: "\n") { _ = try Command("kill", ["-9", String(pid)]).run() }
        }

        @Test func aDeadNodesBricksMoveToAnotherHost() throws {
            let name = lab.volumeName("nr")
            let label = "n" + String(name.suffix(6))
            let old = lab.outsider
            let fstab = try sh("n3", "cat /etc/fstab").stdout
            let mount = "/mnt/\(name)"
            var loops: [String] = []
            defer {
                _ = try? sh("n1", "umount \(mount); rmdir \(mount)")
                _ = try? lab.gluster("n1", ["volume", "stop", name])
                _ = try? lab.gluster("n1", ["volume", "delete", name])
                _ = try? lab.gluster("n1", ["peer", "detach", old, "force"])
                for loop in loops { try? lab.pullDisk("n3", loop) }
                _ = try? sh("n3", "cat > /etc/fstab.nr && mv /etc/fstab.nr /etc/fstab", input: fstab)
                // n4 an outsider again: no pool, no volumes, glusterd running.
                try? killGluster(old)
                _ = try? sh(
                    old,
                    "rm -rf /var/lib/glusterd/peers/* /var/lib/glusterd/vols/* && glusterd -p /run/glusterd.pid </dev/null >/dev/null 2>&1"
                )
            }
            try #require(try lab.brickctl("n1", ["peer", "probe", old]).status == 0)
            let created = try lab.brickctl(
                "n1",
                [
                    "volume", "create", name, "--replica", "3", "n1:\(brickRoot)/\(name)", "n2:\(brickRoot)/\(name)",
                    "\(old):\(brickRoot)/\(name)",
                ])
            try #require(created.status == 0, "create: \(created.stderr)")
            try #require(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            // Clients by address (n3 not yet among them): node replace moves OLD's entry to n3's
            // and drops the host names glusterd's replace-brick appends to the list.
            let addresses = try ["n1", "n2", old, "n3"].map { node in
                try #require(
                    try sh("n1", "getent hosts \(node)").stdout.split(separator: " ").first.map(String.init))
            }
            try #require(
                try lab.gluster(
                    "n1", ["volume", "set", name, "auth.allow", addresses.prefix(3).joined(separator: ",")]
                ).status == 0)
            let write = { (prefix: String) throws in
                let out = try self.sh(
                    "n1",
                    "mkdir -p \(mount) && (mountpoint -q \(mount) || mount -t glusterfs n1:/\(name) \(mount)) && mkdir -p \(mount)/d && i=0; while [ $i -lt 30 ]; do head -c $((i * 500 + 1)) /dev/urandom > \(mount)/d/\(prefix)$i; i=$((i + 1)); done"
                )
                try #require(out.status == 0, "writing: \(out.stderr)")
            }
            try write("a")
            try killGluster(old)
            try write("b")

            // n1's plugin configuration names the dead host: node replace puts n3 in its place.
            let config = "/etc/brickctl/plugin.json"
            defer { _ = try? sh("n1", "rm -f \(config)") }
            try #require(
                try sh(
                    "n1", "mkdir -p /etc/brickctl && cat > \(config)",
                    input: #"{"servers": ["n1", "\#(old)", "n2"], "volume": "\#(name)"}"#
                ).status == 0)

            let disk = try lab.addDisk("n3")
            loops.append(disk)
            try #require(try lab.brickctl("n3", ["prepare", disk, "--label", label]).status == 0)
            let newRoot = "/data/glusterfs/\(label)/brick"
            let replaced = try lab.brickctl(
                "n1", ["node", "replace", old, "n3", "--brick-root", newRoot, "--timeout", "120s"])
            #expect(replaced.status == 0, "\(replaced.stderr)\n\(replaced.stdout)")
            #expect(replaced.stdout.contains("verified: 3 copies hold 60 files"), "\(replaced.stdout)")
            #expect(replaced.stdout.contains("detached \(old)"))

            let plugin =
                try JSONSerialization.jsonObject(with: Data(try sh("n1", "cat \(config)").stdout.utf8))
                as? [String: Any]
            #expect(plugin?["servers"] as? [String] == ["n1", "n3", "n2"], "\(replaced.stdout)")
            #expect(plugin?["volume"] as? String == name)

            let allow = try lab.gluster("n1", ["volume", "get", name, "auth.allow"]).stdout
            #expect(
                allow.split(separator: "\n").last?.split(separator: " ").dropFirst().first.map(String.init)
                    == [addresses[0], addresses[1], addresses[3]].joined(separator: ","), "auth.allow: \(allow)")
            let pool = try lab.gluster("n1", ["pool", "list"]).stdout
            #expect(!pool.contains(old))
            let info = try VolumeInfo.list(
                from: CLIEnvelope(parsing: try lab.gluster("n1", ["--xml", "volume", "info", name]).stdout)
            ).first { $0.name == name }
            #expect(info?.bricks.map(\.address.host) == ["n1", "n2", "n3"])
            let reference = try manifest("n1", "\(brickRoot)/\(name)")
            #expect(reference.split(separator: "\n").count == 60)
            #expect(try manifest("n2", "\(brickRoot)/\(name)") == reference)
            #expect(try manifest("n3", "\(newRoot)/\(name)") == reference)

            let again = try lab.brickctl("n1", ["node", "replace", old, "n3", "--brick-root", newRoot])
            #expect(again.status == 0 && again.stdout.contains("nothing to detach"), "\(again.stdout)\(again.stderr)")
        }
    }
}
