import Foundation
import Gluster
import HostIO
import Testing

extension Integration {
    /// Issue 18's disk drill on the Gluster lab: n3's brick disk of a replica 3 volume is pulled,
    /// a new disk is added, `brick replace` prepares it, replaces the brick, heals and verifies;
    /// the test then reads every brick directory inside its node.
    ///
    /// n3's own brick1 disk serves the other tests' volumes: this volume's n3 brick gets a disk
    /// of its own (`lab disk add`), which is the one pulled.
    @Suite struct BrickReplaceLabTests {
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

        func volume(_ name: String) throws -> VolumeInfo {
            let out = try lab.gluster("n1", ["--xml", "volume", "info", name])
            return try #require(try VolumeInfo.list(from: CLIEnvelope(parsing: out.stdout)).first { $0.name == name })
        }

        /// `sha256sum` of every file of a brick directory (sorted paths, .glusterfs skipped).
        func manifest(_ brick: BrickAddress) throws -> String {
            let out = try sh(
                brick.host,
                "cd \"$1\" && find . -path ./.glusterfs -prune -o -type f -print | LC_ALL=C sort | while read -r f; do sha256sum \"$f\"; done"
                    .replacingOccurrences(of: "$1", with: brick.path))
            try #require(out.status == 0, "manifest of \(brick): \(out.stderr)")
            return out.stdout
        }

        @Test func aPulledDiskIsReplacedHealedAndVerified() throws {
            let name = lab.volumeName("rp")
            let label = "r" + String(name.suffix(6))
            let fstab = try sh("n3", "cat /etc/fstab").stdout
            let mount = "/mnt/\(name)"
            var loops: [String] = []
            defer {
                _ = try? sh("n1", "umount \(mount); rmdir \(mount)")
                _ = try? lab.gluster("n1", ["volume", "stop", name])
                _ = try? lab.gluster("n1", ["volume", "delete", name])
                for loop in loops { try? lab.pullDisk("n3", loop) }
                _ = try? sh("n3", "cat > /etc/fstab.rp && mv /etc/fstab.rp /etc/fstab", input: fstab)
            }

            // A replica 3 volume whose n3 brick has a disk of its own.
            let first = try lab.addDisk("n3")
            loops.append(first)
            let prepared = try lab.brickctl("n3", ["prepare", first, "--label", label])
            try #require(prepared.status == 0, "prepare: \(prepared.stderr)")
            let old = BrickAddress(host: "n3", path: "/data/glusterfs/\(label)/brick/\(name)")
            let created = try lab.brickctl(
                "n1",
                [
                    "volume", "create", name, "--replica", "3", "n1:\(brickRoot)/\(name)", "n2:\(brickRoot)/\(name)",
                    old.description,
                ])
            try #require(created.status == 0, "create: \(created.stderr)")
            try #require(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            let write = { (prefix: String) throws in
                let out = try self.sh(
                    "n1",
                    "mkdir -p \(mount) && (mountpoint -q \(mount) || mount -t glusterfs n1:/\(name) \(mount)) && for d in 1 2 3 4; do mkdir -p \(mount)/d$d; i=0; while [ $i -lt 15 ]; do head -c $((i * 700 + d)) /dev/urandom > \(mount)/d$d/\(prefix)$i; i=$((i + 1)); done; done"
                )
                try #require(out.status == 0, "writing: \(out.stderr)")
            }
            try write("a")

            // The disk pull: the brick process dies on it, the disk goes away.
            let status = try VolumeStatus.list(
                from: CLIEnvelope(parsing: try lab.gluster("n1", ["--xml", "volume", "status", name]).stdout)
            ).first
            let pid = try #require(status?.brick(old)?.pid)
            _ = try Command("kill", ["-9", String(pid)]).run()
            try lab.pullDisk("n3", first)
            loops.removeAll { $0 == first }
            try write("b")  // changes the dead brick misses

            // `volume status --json` lists the offline brick (and, once stale, the fix).
            let offline = try lab.brickctl("n1", ["volume", "status", name, "--stale", "1s", "--json", "--no-heal"])
            let report = try JSONSerialization.jsonObject(with: Data(offline.stdout.utf8)) as? [String: Any]
            let entries = report?["offlineBricks"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["brick"] as? String } == [old.description], "\(offline.stdout)\(offline.stderr)")
            if let entry = entries.first, entry["stale"] as? Bool == true {
                #expect(entry["replaceCommand"] as? String == "brickctl brick replace \(name) \(old) n3:/dev/NEWDISK")
            }

            // Refusals first: OLD is not in the volume; NEW a brick of this volume.
            let notThere = try lab.brickctl(
                "n3", ["brick", "replace", name, "n3:/nowhere/\(name)", "n3:/data/glusterfs/\(label)/other"])
            #expect(notThere.status == 1)
            let sameBrick = try lab.brickctl(
                "n3", ["brick", "replace", name, old.description, "n1:\(brickRoot)/\(name)"])
            #expect(sameBrick.status == 1 && sameBrick.stderr.contains("already a brick of volume \(name)"))

            // New hardware, and the replacement.
            let second = try lab.addDisk("n3")
            loops.append(second)
            let dry = try lab.brickctl("n3", ["brick", "replace", name, old.description, "n3:\(second)", "--dry-run"])
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("replace-brick \(name) \(old)") && dry.stdout.contains("Nothing was changed"))
            let started = monotonicSeconds()
            let replaced = try lab.brickctl(
                "n3", ["brick", "replace", name, old.description, "n3:\(second)", "--timeout", "120s"])
            let took = monotonicSeconds() - started
            #expect(replaced.status == 0, "\(replaced.stderr)\n\(replaced.stdout)")
            #expect(replaced.stdout.contains("verified: 3 copies hold 120 files"), "\(replaced.stdout)")
            print("brick replace of 120 small files took \(String(format: "%.1f", took)) s (under load)")

            // Every brick holds the same files with the same content.
            let after = try volume(name)
            #expect(!after.bricks.contains { $0.address == old })
            let manifests = try after.bricks.map { try manifest($0.address) }
            #expect(manifests[0].split(separator: "\n").count == 120)
            #expect(manifests[1] == manifests[0])
            #expect(manifests[2] == manifests[0])

            // Twice-safe.
            let again = try lab.brickctl("n3", ["brick", "replace", name, old.description, "n3:\(second)"])
            #expect(
                again.status == 0 && again.stdout.contains("nothing to change")
                    && again.stdout.contains("verified: 3 copies"), "\(again.stderr)\(again.stdout)")
        }
    }
}
