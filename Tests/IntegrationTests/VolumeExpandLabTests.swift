import Foundation
import Gluster
import HostIO
import Testing

extension Integration {
    /// Issue 18's grow test: a replica 3 volume on n1..n3 gets a second replica set on a new disk
    /// of each host (`lab disk add`, `prepare`), `volume expand --hosts` rebalances, and every
    /// file is still there with the same sha256, now spread over both sets.
    @Suite struct VolumeExpandLabTests {
        let lab: Lab
        let brickRoot = "/data/glusterfs/brick1/brick"
        let hosts = ["n1", "n2", "n3"]

        init() throws {
            lab = try Lab.shared()
            let probe = try lab.brickctl("n1", ["peer", "probe", "n2", "n3"])
            try #require(probe.status == 0, "peer probe: \(probe.stderr)")
        }

        func sh(_ node: String, _ script: String, input: String? = nil) throws -> Command.Output {
            try lab.exec(node, ["sh", "-c", script], input: input)
        }

        /// `sha256sum` of every file under `dir` in `node` (sorted relative paths). DHT's link
        /// files (empty, mode ---------T: "the file lives on the other set") are not data: skipped.
        func manifest(_ node: String, _ dir: String, skipping: String = ".glusterfs") throws -> [String] {
            let out = try sh(
                node,
                "cd '\(dir)' && find . -path ./\(skipping) -prune -o -type f ! -perm -1000 -print | LC_ALL=C sort | while read -r f; do sha256sum \"$f\"; done"
            )
            try #require(out.status == 0, "manifest of \(node):\(dir): \(out.stderr)")
            return out.stdout.split(separator: "\n").map(String.init)
        }

        @Test func aSecondReplicaSetIsAddedAndRebalancedWithNothingLost() throws {
            let name = lab.volumeName("gr")
            let label = "g" + String(name.suffix(6))
            let mount = "/mnt/\(name)"
            var fstabs: [String: String] = [:]
            var loops: [(String, String)] = []
            for host in hosts { fstabs[host] = try sh(host, "cat /etc/fstab").stdout }
            defer {
                _ = try? sh("n1", "umount \(mount); rmdir \(mount)")
                _ = try? lab.gluster("n1", ["volume", "stop", name])
                _ = try? lab.gluster("n1", ["volume", "delete", name])
                for (host, loop) in loops { try? lab.pullDisk(host, loop) }
                for (host, fstab) in fstabs {
                    _ = try? sh(host, "cat > /etc/fstab.gr && mv /etc/fstab.gr /etc/fstab", input: fstab)
                }
            }
            let created = try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"])
            try #require(created.status == 0, "create: \(created.stderr)")
            try #require(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            let written = try sh(
                "n1",
                "mkdir -p \(mount) && mount -t glusterfs n1:/\(name) \(mount) && for d in 1 2 3 4 5; do mkdir -p \(mount)/d$d; i=0; while [ $i -lt 20 ]; do head -c $((i * 300 + d)) /dev/urandom > \(mount)/d$d/f$i; i=$((i + 1)); done; done"
            )
            try #require(written.status == 0, "writing: \(written.stderr)")
            let before = try manifest("n1", mount)
            #expect(before.count == 100)

            // Refusals before anything changes.
            let twoHosts = try lab.brickctl("n1", ["volume", "expand", name, "--hosts", "n1,n2"])
            #expect(
                twoHosts.status == 1 && twoHosts.stderr.contains("--hosts names 2 hosts: give 3"), "\(twoHosts.stderr)")
            let outsider = try lab.brickctl("n1", ["volume", "expand", name, "--hosts", "n1,n2,\(lab.outsider)"])
            #expect(
                outsider.status == 1 && outsider.stderr.contains("brickctl peer probe \(lab.outsider)"),
                "\(outsider.stderr)")
            let same = try lab.brickctl("n1", ["volume", "expand", name, "--hosts", "n1,n2,n3", "--dry-run"])
            #expect(same.status == 0 && same.stdout.contains("already in the volume"), "\(same.stdout)\(same.stderr)")

            // A new disk on each host, prepared; the new set goes there.
            for host in hosts {
                let loop = try lab.addDisk(host)
                loops.append((host, loop))
                let prepared = try lab.brickctl(host, ["prepare", loop, "--label", label])
                try #require(prepared.status == 0, "prepare on \(host): \(prepared.stderr)")
            }
            let newRoot = "/data/glusterfs/\(label)/brick"
            let expand = [
                "volume", "expand", name, "--hosts", "n1,n2,n3", "--brick-root", newRoot, "--timeout", "120s",
            ]
            let started = monotonicSeconds()
            let grown = try lab.brickctl("n1", expand)
            #expect(grown.status == 0, "\(grown.stderr)\n\(grown.stdout)")
            #expect(grown.stdout.contains("rebalance of \(name) completed"), "\(grown.stdout)")
            print(
                "volume expand + rebalance of 100 small files took \(String(format: "%.1f", monotonicSeconds() - started)) s (under load)"
            )

            let info = try VolumeInfo.list(
                from: CLIEnvelope(parsing: try lab.gluster("n1", ["--xml", "volume", "info", name]).stdout)
            ).first { $0.name == name }
            #expect(info?.distributeCount == 2 && info?.brickCount == 6)
            #expect(try manifest("n1", mount) == before)
            // Both sets hold files now, and each set's copies agree.
            let first = try manifest("n1", "\(brickRoot)/\(name)")
            let second = try manifest("n1", "\(newRoot)/\(name)")
            #expect(!first.isEmpty && !second.isEmpty)
            #expect(first.count + second.count == 100)
            #expect(try manifest("n3", "\(newRoot)/\(name)") == second)

            // Twice-safe.
            let again = try lab.brickctl("n1", expand)
            #expect(again.status == 0 && again.stdout.contains("nothing to do"), "\(again.stdout)\(again.stderr)")
        }
    }
}
