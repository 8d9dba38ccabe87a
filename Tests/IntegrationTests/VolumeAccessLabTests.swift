import Foundation
import Gluster
import HostIO
import Testing

extension Integration {
    /// `auth.allow` by default: a volume made by brickctl is mounted by the pool's hosts and by
    /// clients allowed later, and refused to a host on the same network that is not in the pool.
    @Suite struct VolumeAccessLabTests {
        let lab: Lab
        let brickRoot = "/data/glusterfs/brick1/brick"

        init() throws {
            lab = try Lab.shared()
            let probe = try lab.brickctl("n1", ["peer", "probe", "n2", "n3"])
            try #require(probe.status == 0, "peer probe: \(probe.stderr)")
        }

        func address(_ node: String) throws -> String {
            let out = try lab.exec("n1", ["getent", "ahostsv4", node])
            return try #require(out.stdout.split(separator: " ").first.map(String.init), "\(node): \(out.stderr)")
        }

        /// `gluster volume get NAME auth.allow`, asked on `node`.
        func authAllow(_ name: String, on node: String) throws -> String {
            let out = try lab.gluster(node, ["--xml", "volume", "get", name, "auth.allow"])
            return try #require(try VolumeOptionValues.list(from: CLIEnvelope(parsing: out.stdout)).first?.value)
        }

        /// Mounts `name` on `node` at /mnt/NAME and reads `file`; unmounts again. nil when the
        /// mount or the read failed.
        func mountAndRead(_ node: String, _ name: String, _ file: String) throws -> String? {
            let mnt = "/mnt/\(name)"
            #expect(try lab.exec(node, ["mkdir", "-p", mnt]).status == 0)
            defer { _ = try? lab.exec(node, ["umount", "-l", mnt]) }
            let mount = try lab.exec(node, ["timeout", "60", "mount", "-t", "glusterfs", "n1:/\(name)", mnt])
            guard mount.status == 0 else { return nil }
            let read = try lab.exec(node, ["timeout", "30", "cat", "\(mnt)/\(file)"])
            return read.status == 0 ? read.stdout : nil
        }

        @Test func onlyThePoolAndAllowedClientsMount() throws {
            let name = lab.volumeName("au")
            defer {
                _ = try? lab.gluster("n1", ["volume", "stop", name])
                _ = try? lab.gluster("n1", ["volume", "delete", name])
            }
            let pool = try lab.nodes.map(address)
            let outsider = try address(lab.outsider)
            let create = try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"])
            #expect(create.status == 0, "\(create.stderr)")
            #expect(
                create.stdout.contains("may mount: \(pool[0]) (n1), \(pool[1]) (n2), \(pool[2]) (n3)"),
                "\(create.stdout)")
            #expect(try authAllow(name, on: "n3") == pool.joined(separator: ","))
            #expect(try lab.brickctl("n1", ["volume", "start", name]).status == 0)

            // A pool host writes.
            let mnt = "/mnt/\(name)"
            #expect(try lab.exec("n2", ["mkdir", "-p", mnt]).status == 0)
            #expect(try lab.exec("n2", ["mount", "-t", "glusterfs", "n2:/\(name)", mnt]).status == 0)
            #expect(try lab.exec("n2", ["tee", "\(mnt)/secret"], input: "pool-only\n").status == 0)
            _ = try lab.exec("n2", ["umount", mnt])

            // The outsider reaches glusterd and the bricks, but reads nothing.
            #expect(try mountAndRead(lab.outsider, name, "secret") == nil)
            let log = try lab.exec(lab.outsider, ["sh", "-c", "cat /var/log/glusterfs/mnt-\(name).log"]).stdout
            #expect(AuthRefusal.isRefusal(log.split(separator: "\n").map(String.init)), "\(log.suffix(2000))")

            // status shows who may mount.
            let status = try lab.brickctl("n2", ["volume", "status", name, "--json", "--no-heal"])
            let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            #expect(json?["authAllow"] as? [String] == pool, "\(status.stdout)")
            #expect(json?["bricks"] is [Any] && json?["health"] is [String: Any])
            #expect(
                try lab.brickctl("n2", ["volume", "status", name, "--no-heal"]).stdout.contains(
                    "may mount: \(pool.joined(separator: ", "))"))

            // Allowed by name: resolved and shown; twice is quiet.
            let allow = try lab.brickctl("n3", ["volume", "allow", name, lab.outsider])
            #expect(allow.status == 0, "\(allow.stderr)")
            #expect(allow.stdout.contains("resolved: \(outsider) (n4)"), "\(allow.stdout)")
            #expect(try authAllow(name, on: "n1") == (pool + [outsider]).joined(separator: ","))
            #expect(try lab.brickctl("n1", ["volume", "allow", name, outsider]).stdout.contains("nothing to do"))
            #expect(try mountAndRead(lab.outsider, name, "secret") == "pool-only\n")

            // Disallowed again, twice-safe; the list never becomes empty.
            #expect(try lab.brickctl("n1", ["volume", "disallow", name, outsider]).status == 0)
            #expect(try lab.brickctl("n1", ["volume", "disallow", name, outsider]).stdout.contains("nothing to do"))
            #expect(try authAllow(name, on: "n2") == pool.joined(separator: ","))
            #expect(try mountAndRead(lab.outsider, name, "secret") == nil)
            let empty = try lab.brickctl("n1", ["volume", "disallow", name] + pool)
            #expect(empty.status == 1 && empty.stderr.contains("no address allowed"), "\(empty.stderr)")
            let bad = try lab.brickctl("n1", ["volume", "allow", name, "no-such-host.invalid"])
            #expect(bad.status == 1 && bad.stderr.contains("cannot resolve no-such-host.invalid"), "\(bad.stderr)")
        }

        @Test func extraClientsOnCreateAndEveryoneOnRequest() throws {
            let name = lab.volumeName("ax")
            let open = lab.volumeName("ao")
            defer {
                for volume in [name, open] { _ = try? lab.gluster("n1", ["volume", "delete", volume]) }
            }
            let outsider = try address(lab.outsider)
            let create = try lab.brickctl(
                "n1", ["volume", "create", name, "--replica", "2", "--allow", "\(lab.outsider),10.99.0.*"])
            #expect(create.status == 0, "\(create.stderr)")
            #expect(
                create.stdout.contains("\(outsider) (--allow)") || create.stdout.contains("\(outsider) (n4)"),
                "\(create.stdout)")
            #expect(try authAllow(name, on: "n2").hasSuffix(",\(outsider),10.99.0.*"))
            let everyone = try lab.brickctl("n1", ["volume", "create", open, "--replica", "2", "--allow", "*"])
            #expect(
                everyone.status == 0 && everyone.stdout.contains("may mount: *"), "\(everyone.stdout)\(everyone.stderr)"
            )
            #expect(try authAllow(open, on: "n2") == "*")
        }
    }
}
