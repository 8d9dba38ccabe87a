import Foundation
import Gluster
import HostIO
import Testing

extension Integration {
    /// brickctl's Gluster commands on a real 3-node lab (glusterd in network namespaces, bricks made
    /// by `brickctl prepare`), each result checked with `gluster --xml` on ANOTHER node.
    @Suite struct GlusterLabTests {
        let lab: Lab
        let brickRoot = "/data/glusterfs/brick1/brick"

        init() throws {
            lab = try Lab.shared()
            let probe = try lab.brickctl("n1", ["peer", "probe", "n2", "n3"])
            try #require(probe.status == 0, "peer probe: \(probe.stderr)")
        }

        /// glusterd's own view of a volume, asked on `node`.
        func info(_ name: String, on node: String) throws -> VolumeInfo? {
            let out = try lab.gluster(node, ["--xml", "volume", "info", name])
            let envelope = try CLIEnvelope(parsing: out.stdout)
            guard envelope.succeeded else { return nil }
            return try VolumeInfo.list(from: envelope).first { $0.name == name }
        }

        func remove(_ name: String) throws {
            _ = try lab.gluster("n1", ["volume", "stop", name])
            _ = try lab.gluster("n1", ["volume", "delete", name])
        }

        @Test func probingTwiceIsQuietAndEveryNodeSeesThePool() throws {
            let again = try lab.brickctl("n1", ["peer", "probe", "n2", "n3"])
            #expect(again.status == 0)
            #expect(again.stdout == "n2: already in the pool\nn3: already in the pool\n")
            let list = try lab.brickctl("n3", ["peer", "list", "--json"])
            #expect(list.status == 0)
            let json = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: [[String: Any]]]
            let peers = try #require(json?["peers"])
            #expect(peers.count == 3)
            #expect(peers.allSatisfy { $0["connected"] as? Bool == true })
        }

        @Test func replicaTwoWarnsAndLandsOnTwoHosts() throws {
            let name = lab.volumeName("r2")
            defer { try? remove(name) }
            let out = try lab.brickctl("n1", ["volume", "create", name, "--replica", "2"])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.contains("warning: replica 2 without an arbiter can split-brain"))
            #expect(out.stderr.contains("--arbiter"))
            let volume = try #require(try info(name, on: "n3"))
            #expect(volume.replicaCount == 2 && volume.arbiterCount == 0)
            #expect(volume.bricks.map(\.address.description) == ["n1:\(brickRoot)/\(name)", "n2:\(brickRoot)/\(name)"])
            #expect(volume.status == .created)
        }

        @Test func replicaThreeAndArbiter() throws {
            let three = lab.volumeName("r3")
            let arb = lab.volumeName("ar")
            defer {
                try? remove(three)
                try? remove(arb)
            }
            #expect(try lab.brickctl("n1", ["volume", "create", three, "--replica", "3"]).status == 0)
            let r3 = try #require(try info(three, on: "n2"))
            #expect(r3.replicaCount == 3 && Set(r3.bricks.map(\.address.host)) == ["n1", "n2", "n3"])
            let out = try lab.brickctl("n1", ["volume", "create", arb, "--replica", "2", "--arbiter"])
            #expect(out.status == 0 && !out.stderr.contains("split-brain"))
            let a = try #require(try info(arb, on: "n3"))
            #expect(a.arbiterCount == 1)
            #expect(a.bricks.map(\.isArbiter) == [false, false, true])
            #expect(a.bricks.last?.address.host == "n3")
        }

        @Test func startWriteOnOneNodeReadOnAnotherStopDelete() throws {
            let name = lab.volumeName("rw")
            defer { try? remove(name) }
            #expect(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            #expect(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            #expect(try lab.brickctl("n1", ["volume", "start", name]).stdout.contains("already started"))
            #expect(try info(name, on: "n3")?.status == .started)

            let status = try lab.brickctl("n2", ["volume", "status", name, "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            let bricks = try #require(report?["bricks"] as? [[String: Any]])
            #expect(bricks.count == 3)
            #expect(
                bricks.allSatisfy {
                    $0["online"] as? Bool == true && ($0["port"] as? Int ?? 0) > 0 && ($0["pid"] as? Int ?? 0) > 0
                })
            let health = try #require(report?["health"] as? [String: Any])
            #expect(health["verdict"] as? String == "healthy")
            // Nothing pending: the self-heal daemons' count alone answers, split-brain 0 included.
            let heal = try #require(report?["heal"] as? [String: Any])
            #expect(heal["total"] as? Int == 0)
            let counted = try #require(heal["bricks"] as? [[String: Any]])
            #expect(
                counted.count == 3 && counted.allSatisfy { $0["entries"] as? Int == 0 && $0["splitBrain"] as? Int == 0 }
            )

            // A file written through a FUSE mount on n1 is read through a mount on n2.
            let mnt = "/mnt/\(name)"
            for node in ["n1", "n2"] {
                #expect(try lab.exec(node, ["mkdir", "-p", mnt]).status == 0)
                let mount = try lab.exec(node, ["mount", "-t", "glusterfs", "\(node):/\(name)", mnt])
                #expect(mount.status == 0, "\(mount.stderr)")
            }
            defer { for node in ["n1", "n2"] { _ = try? lab.exec(node, ["umount", mnt]) } }
            #expect(try lab.exec("n1", ["tee", "\(mnt)/hello"], input: "written-on-n1\n").status == 0)
            #expect(try lab.exec("n2", ["cat", "\(mnt)/hello"]).stdout == "written-on-n1\n")
            // The same file on every brick.
            for node in lab.nodes {
                #expect(try lab.exec(node, ["cat", "\(brickRoot)/\(name)/hello"]).stdout == "written-on-n1\n")
            }
            for node in ["n1", "n2"] { _ = try lab.exec(node, ["umount", mnt]) }

            // Delete while started is refused with the fix.
            let early = try lab.brickctl("n1", ["volume", "delete", name])
            #expect(early.status == 1 && early.stderr.contains("brickctl volume stop \(name)"))
            #expect(try lab.brickctl("n1", ["volume", "stop", name]).status == 0)
            #expect(try lab.brickctl("n1", ["volume", "stop", name]).stdout.contains("not started"))
            #expect(try lab.brickctl("n1", ["volume", "delete", name]).status == 0)
            #expect(try info(name, on: "n3") == nil)
        }

        @Test func gfapiDfAndProbeThroughAnotherNode() throws {
            let name = lab.volumeName("ga")
            defer { try? remove(name) }
            #expect(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            #expect(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            let df = try lab.brickctl("n2", ["volume", "df", name, "--server", "n2", "--json"])
            #expect(df.status == 0, "\(df.stderr)")
            let space = try JSONSerialization.jsonObject(with: Data(df.stdout.utf8)) as? [String: Any]
            // A 1 GiB XFS brick, replicated: the volume is the size of one brick.
            let size = try #require(space?["size"] as? Int)
            #expect(size > 900 << 20 && size < 1 << 30, "\(df.stdout)")
            let probe = try lab.brickctl("n3", ["volume", "probe", name, "--server", "n3"])
            #expect(probe.status == 0, "\(probe.stderr)")
        }

        @Test func refusalsSayWhatToDo() throws {
            // A brick on the root filesystem, without --force.
            let root = lab.volumeName("rt")
            let onRoot = try lab.brickctl(
                "n1", ["volume", "create", root, "--replica", "2", "n1:/var/tmp/\(root)", "n2:/var/tmp/\(root)"])
            #expect(onRoot.status == 1)
            #expect(
                onRoot.stderr.contains(
                    "n1:/var/tmp/\(root) is on the root filesystem: run `brickctl prepare DEVICE` on n1 first"))
            #expect(try info(root, on: "n2") == nil)

            // A host outside the pool.
            let outside = try lab.brickctl(
                "n1", ["volume", "create", lab.volumeName("un"), "--replica", "2", "--hosts", "n1,n9"])
            #expect(
                outside.status == 1
                    && outside.stderr.contains("n9 is not in the pool: run `brickctl peer probe n9` first"))

            // An unreachable peer.
            let unreachable = try lab.brickctl("n1", ["peer", "probe", "n9"])
            #expect(unreachable.status == 1)
            #expect(unreachable.stderr.contains("cannot reach glusterd on n9 (TCP 24007)"), "\(unreachable.stderr)")

            // Not enough hosts, bad names, a duplicate name.
            #expect(
                try lab.brickctl("n1", ["volume", "create", "x", "--replica", "4"]).stderr.contains(
                    "needs 4 hosts, the pool has 3"))
            #expect(try lab.brickctl("n1", ["volume", "create", "bad name"]).status == 1)
            let name = lab.volumeName("du")
            defer { try? remove(name) }
            #expect(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            let duplicate = try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"])
            #expect(duplicate.status == 1 && duplicate.stderr.contains("a volume named \(name) already exists"))
        }

        @Test func bricksOfADeletedVolumeAreResetThenReused() throws {
            let name = lab.volumeName("re")
            defer { try? remove(name) }
            #expect(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            try remove(name)
            let reuse = try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"])
            #expect(reuse.status == 1)
            #expect(reuse.stderr.contains("brickctl brick reset \(brickRoot)/\(name)"), "\(reuse.stderr)")
            for node in lab.nodes {
                let reset = try lab.brickctl(node, ["brick", "reset", "\(brickRoot)/\(name)"])
                #expect(reset.status == 0, "\(node): \(reset.stderr)")
            }
            #expect(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            // A brick of a live volume is never reset.
            let live = try lab.brickctl("n2", ["brick", "reset", "\(brickRoot)/\(name)"])
            #expect(live.status == 1 && live.stderr.contains("is a brick of volume \(name)"))
        }

        @Test func aDeadBrickMakesTheVolumeDegraded() throws {
            let name = lab.volumeName("dg")
            defer { try? remove(name) }
            #expect(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            #expect(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            let out = try lab.gluster("n1", ["--xml", "volume", "status", name])
            let status = try #require(try VolumeStatus.list(from: CLIEnvelope(parsing: out.stdout)).first)
            let pid = try #require(status.bricks.first { $0.address.host == "n3" }?.pid)
            #expect(try lab.exec("n3", ["kill", "-9", String(pid)]).status == 0)
            let report = try lab.brickctl("n1", ["volume", "status", name])
            #expect(report.stdout.contains("degraded"), "\(report.stdout)")

            // Writes while n3's brick is down are pending on n1 and n2. The count is not clean, so
            // glfsheal is asked too: its split-brain counts are there.
            let mnt = "/mnt/\(name)"
            #expect(try lab.exec("n1", ["mkdir", "-p", mnt]).status == 0)
            #expect(try lab.exec("n1", ["mount", "-t", "glusterfs", "n1:/\(name)", mnt]).status == 0)
            defer { _ = try? lab.exec("n1", ["umount", mnt]) }
            for file in ["a", "b", "c"] {
                #expect(try lab.exec("n1", ["tee", "\(mnt)/\(file)"], input: "while-n3-was-down\n").status == 0)
            }
            let json = try lab.brickctl("n1", ["volume", "status", name, "--json"])
            let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let heal = try #require(parsed?["heal"] as? [String: Any], "\(json.stdout)\(json.stderr)")
            let bricks = try #require(heal["bricks"] as? [[String: Any]])
            #expect((heal["total"] as? Int ?? 0) >= 6, "\(json.stdout)")
            let n3 = try #require(bricks.first { ($0["address"] as? String)?.hasPrefix("n3:") == true })
            #expect(n3["entries"] is NSNull && n3["connected"] as? Bool == false)
            #expect(bricks.filter { $0["splitBrain"] as? Int == 0 }.count == 2, "\(json.stdout)")
            #expect((parsed?["health"] as? [String: Any])?["verdict"] as? String == "degraded")
            _ = try lab.exec("n1", ["umount", mnt])
            #expect(try lab.brickctl("n1", ["volume", "start", name, "--force"]).status == 0)
        }

        @Test func webProfileOnCreateSeenOnAnotherNodeAndBackToDefault() throws {
            let name = lab.volumeName("pw")
            defer { try? remove(name) }
            let out = try lab.brickctl("n1", ["volume", "create", name, "--replica", "3", "--profile", "web"])
            #expect(out.status == 0, "\(out.stderr)")
            let volume = try #require(try info(name, on: "n2"))
            for option in VolumeProfile.web.options {
                #expect(volume.option(option.key) == option.value, "\(option.key)")
            }
            #expect(volume.option("network.ping-timeout") == String(VolumeProfile.webPingTimeout))
            // Twice: nothing to do.
            let again = try lab.brickctl("n1", ["volume", "profile", name, "web"])
            #expect(again.stdout.contains("already has profile web"))
            // Back to Gluster's defaults: every key web set is gone from the volume's options.
            let reset = try lab.brickctl("n3", ["volume", "profile", name, "default"])
            #expect(reset.status == 0, "\(reset.stderr)")
            let after = try #require(try info(name, on: "n1"))
            for option in VolumeProfile.web.options {
                #expect(after.option(option.key) == nil, "\(option.key) still set")
            }
        }

        @Test func aClonedNodeWithTheSameUUIDIsExplained() throws {
            // Make n3 a "clone" of n1: out of the pool, then glusterd restarted with n1's UUID.
            let info = "/var/lib/glusterd/glusterd.info"
            #expect(try lab.brickctl("n1", ["peer", "detach", "n3"]).status == 0)
            let original = try lab.exec("n3", ["cat", info]).stdout
            let n1UUID = try lab.exec("n1", ["sed", "-n", "s/^UUID=//p", info]).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines)
            func restartGlusterd(withInfo text: String) throws {
                let pid = try lab.exec("n3", ["cat", "/run/glusterd.pid"]).stdout.trimmingCharacters(
                    in: .whitespacesAndNewlines)
                _ = try lab.exec("n3", ["kill", pid])
                for _ in 0..<50 where try lab.exec("n3", ["kill", "-0", pid]).status == 0 { usleep(100_000) }
                #expect(try lab.exec("n3", ["tee", info], input: text).status == 0)
                _ = try lab.exec("n3", ["find", "/var/lib/glusterd/peers", "-type", "f", "-delete"])
                #expect(try lab.exec("n3", ["glusterd", "-p", "/run/glusterd.pid"]).status == 0)
                for _ in 0..<50 where try lab.gluster("n3", ["pool", "list"]).status != 0 { usleep(100_000) }
            }
            try restartGlusterd(
                withInfo: original.replacingOccurrences(
                    of: #"UUID=[0-9a-f-]+"#, with: "UUID=\(n1UUID)", options: .regularExpression))
            let clone = try lab.brickctl("n1", ["peer", "probe", "n3"])
            #expect(clone.status == 1)
            #expect(
                clone.stderr.contains("n3 has the same glusterd UUID as this host (a cloned VM?)"), "\(clone.stderr)")
            #expect(clone.stderr.contains("delete /var/lib/glusterd/glusterd.info"))
            // Put n3 back as it was.
            try restartGlusterd(withInfo: original)
            let back = try lab.brickctl("n1", ["peer", "probe", "n3"])
            #expect(back.status == 0, "\(back.stderr)")
        }
    }
}
