import Foundation
import Gluster
import HostIO
import Testing

extension Integration {
    /// `brickctl tls` on the lab: a CA on n1, bundles installed inside each node (its own /etc
    /// overlay: /etc/ssl of one node is not another's), I/O TLS on a volume; only a client with
    /// a certificate from the pool's CA mounts.
    @Suite struct TLSLabTests {
        let lab: Lab
        let brickRoot = "/data/glusterfs/brick1/brick"
        let ssl = ["/etc/ssl/glusterfs.pem", "/etc/ssl/glusterfs.key", "/etc/ssl/glusterfs.ca"]
        /// The links `tls install` makes where glusterfs's management TLS reads (Debian: /usr/lib/ssl).
        let links = ["/usr/lib/ssl/glusterfs.pem", "/usr/lib/ssl/glusterfs.key", "/usr/lib/ssl/glusterfs.ca"]

        init() throws {
            lab = try Lab.shared()
            let probe = try lab.brickctl("n1", ["peer", "probe", "n2", "n3"])
            try #require(probe.status == 0, "peer probe: \(probe.stderr)")
        }

        func installed(_ node: String) throws -> [String] {
            try ssl.filter { try lab.exec(node, ["test", "-e", $0]).status == 0 }
        }

        /// Mounts `name` on `node` and reads `file`; unmounts. nil when refused.
        func mountAndRead(_ node: String, _ name: String, _ file: String) throws -> String? {
            let mnt = "/mnt/\(name)"
            _ = try lab.exec(node, ["mkdir", "-p", mnt])
            defer { _ = try? lab.exec(node, ["umount", "-l", mnt]) }
            guard try lab.exec(node, ["timeout", "60", "mount", "-t", "glusterfs", "n1:/\(name)", mnt]).status == 0
            else { return nil }
            let read = try lab.exec(node, ["timeout", "30", "cat", "\(mnt)/\(file)"])
            return read.status == 0 ? read.stdout : nil
        }

        @Test func onlyClientsWithThePoolsCertificateMount() throws {
            let dir = try Fixtures.directory("tls")
            let name = lab.volumeName("tl")
            let nodes = lab.nodes + [lab.outsider]
            defer {
                _ = try? lab.gluster("n1", ["volume", "stop", name])
                _ = try? lab.gluster("n1", ["volume", "delete", name])
                for node in nodes { _ = try? lab.exec(node, ["rm", "-f"] + ssl + links) }
                try? FileManager.default.removeItem(atPath: dir)
            }
            let ca = "\(dir)/ca"
            let initCA = try lab.brickctl("n1", ["tls", "init", "--dir", ca])
            #expect(initCA.status == 0, "\(initCA.stderr)")
            #expect(try lab.brickctl("n1", ["tls", "init", "--dir", ca]).stdout.contains("nothing to do"))
            for node in nodes {
                let issue = try lab.brickctl("n1", ["tls", "issue", node, "--dir", ca, "--out", "\(dir)/\(node).pem"])
                #expect(issue.status == 0, "\(issue.stderr)")
                #expect(!issue.stdout.contains("PRIVATE"))
            }
            let mode = try FileManager.default.attributesOfItem(atPath: "\(dir)/n1.pem")[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // Bad input on the outsider: clear errors, nothing installed.
            let bundle = try String(contentsOfFile: "\(dir)/n4.pem", encoding: .utf8)
            try String(bundle.prefix(bundle.count / 2)).write(
                toFile: "\(dir)/corrupt.pem", atomically: true, encoding: .utf8)
            let withoutCA = bundle.components(separatedBy: "-----BEGIN CERTIFICATE-----").prefix(2).joined(
                separator: "-----BEGIN CERTIFICATE-----")
            try withoutCA.write(toFile: "\(dir)/noca.pem", atomically: true, encoding: .utf8)
            for (file, message) in [
                ("corrupt.pem", "again"), ("n1.pem", "not for n4"), ("noca.pem", "no CA certificate"),
                ("missing.pem", "cannot read"),
            ] {
                let out = try lab.brickctl(lab.outsider, ["tls", "install", "\(dir)/\(file)"])
                #expect(out.status == 1 && out.stderr.contains(message), "\(file): \(out.stderr)")
                #expect(try installed(lab.outsider).isEmpty, "\(file)")
            }

            // Each pool node installs its own bundle, in its own /etc.
            for node in lab.nodes {
                let out = try lab.brickctl(node, ["tls", "install", "\(dir)/\(node).pem"])
                #expect(out.status == 0, "\(node): \(out.stderr)")
                #expect(try installed(node) == ssl)
                #expect(try lab.exec(node, ["stat", "-c", "%a", ssl[1]]).stdout == "600\n")
                // Linked where management TLS reads, in the node's own /usr/lib/ssl.
                #expect(try lab.exec(node, ["readlink", links[0]]).stdout == "\(ssl[0])\n", "\(node)")
            }
            #expect(!FileManager.default.fileExists(atPath: ssl[0]), "a node's install reached the host's /etc/ssl")
            #expect(
                (try? FileManager.default.destinationOfSymbolicLink(atPath: links[0])) == nil,
                "a node's install reached the host's /usr/lib/ssl")
            let status = try lab.brickctl("n2", ["tls", "status", "--dir", ca, "--json"])
            let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            let rows = try #require(json?["certificates"] as? [[String: Any]], "\(status.stdout)\(status.stderr)")
            #expect(
                rows.count == 3
                    && rows.allSatisfy {
                        ($0["expires"] as? String)?.count == 10 && ($0["daysLeft"] as? Int ?? 0) > 700
                    })
            #expect((rows.first?["subject"] as? String)?.contains("CN=n2") == true, "\(rows)")
            #expect(!status.stdout.contains("PRIVATE"))

            // A TLS volume that the outsider's address may mount: only the certificate decides.
            #expect(
                try lab.brickctl("n1", ["volume", "create", name, "--replica", "3", "--allow", lab.outsider]).status
                    == 0)
            let enable = try lab.brickctl("n1", ["tls", "enable", name, "--dir", ca])
            #expect(enable.status == 0, "\(enable.stderr)")
            #expect(enable.stdout.contains("auth.ssl-allow = n1,n2,n3,n4"), "\(enable.stdout)")
            #expect(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            #expect(try lab.exec("n2", ["mkdir", "-p", "/mnt/\(name)"]).status == 0)
            let mount = try lab.exec("n2", ["mount", "-t", "glusterfs", "n2:/\(name)", "/mnt/\(name)"])
            #expect(mount.status == 0, "\(mount.stderr)")
            #expect(try lab.exec("n2", ["tee", "/mnt/\(name)/secret"], input: "over-tls\n").status == 0)
            _ = try lab.exec("n2", ["umount", "/mnt/\(name)"])
            for node in lab.nodes {
                #expect(try lab.exec(node, ["cat", "\(brickRoot)/\(name)/secret"]).stdout == "over-tls\n", "\(node)")
            }

            // No certificate: refused.
            #expect(try mountAndRead(lab.outsider, name, "secret") == nil)
            // A certificate for n4 from another CA: refused.
            let other = "\(dir)/other"
            #expect(try lab.brickctl("n1", ["tls", "init", "--dir", other]).status == 0)
            #expect(
                try lab.brickctl("n1", ["tls", "issue", "n4", "--dir", other, "--out", "\(dir)/n4-other.pem"]).status
                    == 0)
            #expect(try lab.brickctl(lab.outsider, ["tls", "install", "\(dir)/n4-other.pem"]).status == 0)
            #expect(try mountAndRead(lab.outsider, name, "secret") == nil)
            // The pool's certificate: mounts and reads.
            #expect(try lab.brickctl(lab.outsider, ["tls", "install", "\(dir)/n4.pem"]).status == 0)
            #expect(try mountAndRead(lab.outsider, name, "secret") == "over-tls\n")
        }
        /// A Docker container writes through the plugin to a replica 3 volume while `tls enable
        /// --now` and `tls disable --now` switch I/O TLS under it: it keeps its mount, writes
        /// before, between and after the switches reach every brick, and the bricks accept only
        /// the new mode after each switch (so the running client really moved). The I/O stall
        /// (failed writes) at each switch is printed, not asserted.
        @Test func tlsOnAndOffUnderARunningContainer() throws {
            let plugins = try PluginLab.shared()
            try plugins.importBusybox("n1")
            let dir = try Fixtures.directory("tls-switch")
            let name = lab.volumeName("ts")
            let driver = "brickctl-tls"
            let socket = "/run/docker/plugins/\(driver).sock"
            let stateDir = "/run/brickctl-tls-test"
            var container = ""
            defer {
                if !container.isEmpty { _ = try? lab.exec("n1", ["/usr/bin/docker", "rm", "-f", container]) }
                _ = try? lab.exec("n1", ["/usr/bin/docker", "volume", "rm", "-f", "tlsdata"])
                if let pid = try? lab.exec("n1", ["cat", "/run/brickctl-tls-test.pid"]).stdout.trimmingCharacters(
                    in: .whitespacesAndNewlines),
                    let number = Int32(pid)
                {
                    kill(number, SIGTERM)
                }
                _ = try? lab.exec(
                    "n1",
                    [
                        "sh", "-c",
                        "umount -l \(stateDir)/mounts/* 2>/dev/null; rm -rf \(stateDir) \(socket) /run/brickctl-tls-test.pid",
                    ])
                _ = try? lab.gluster("n1", ["volume", "stop", name])
                _ = try? lab.gluster("n1", ["volume", "delete", name])
                for node in lab.nodes { _ = try? lab.exec(node, ["rm", "-f"] + ssl + links) }
                try? FileManager.default.removeItem(atPath: dir)
            }
            let ca = "\(dir)/ca"
            #expect(try lab.brickctl("n1", ["tls", "init", "--dir", ca]).status == 0)
            for node in lab.nodes {
                #expect(
                    try lab.brickctl("n1", ["tls", "issue", node, "--dir", ca, "--out", "\(dir)/\(node).pem"]).status
                        == 0)
                #expect(try lab.brickctl(node, ["tls", "install", "\(dir)/\(node).pem"]).status == 0)
            }
            try #require(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            try #require(try lab.brickctl("n1", ["volume", "start", name]).status == 0)

            // The plugin beside n1's dockerd, on this volume, as its own driver.
            let plugin = try Command(
                lab.script,
                [
                    "exec", "n1", "sh", "-c",
                    "echo $$ >/run/brickctl-tls-test.pid; exec \"$@\" 2>>/run/brickctl-tls-test.log", "sh",
                    Fixtures.brickctl, "plugin", "serve", "--servers", "n1,n2,n3", "--volume", name, "--socket", socket,
                    "--state-dir", stateDir, "--local-root", PluginLab.localRoot,
                ], environment: ["LAB_ID": Lab.id]
            ).spawn(stdout: .null, stderr: .null)
            defer { plugin.terminate() }
            var deadline = monotonicSeconds() + 10
            while !(try plugins.raw("n1", "Plugin.Activate", "", socket: socket).stdout.contains("VolumeDriver")) {
                try #require(monotonicSeconds() < deadline, "the plugin did not listen within 10 s")
                usleep(50_000)
            }
            #expect(try lab.exec("n1", ["/usr/bin/docker", "volume", "create", "-d", driver, "tlsdata"]).status == 0)
            // One line "N UPTIME" every 50 ms, appended (open, write, close each time); a failed
            // write goes to /err in the container's own filesystem.
            let writer =
                "i=0; while :; do i=$((i+1)); read up rest </proc/uptime; echo \"$i $up\" >>/d/log || echo \"$i $up\" >>/err; sleep 0.05; done"
            let run = try lab.exec(
                "n1", ["/usr/bin/docker", "run", "-d", "-v", "tlsdata:/d", "busybox:lab", "sh", "-c", writer])
            try #require(run.status == 0, "\(run.stderr)")
            container = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            func uptime() throws -> Double {
                Double(try String(contentsOfFile: "/proc/uptime", encoding: .utf8).split(separator: " ")[0]) ?? 0
            }
            func written() throws -> [(Int, Double)] {
                try lab.exec("n1", ["/usr/bin/docker", "exec", container, "cat", "/d/log"]).stdout.split(
                    separator: "\n"
                ).compactMap {
                    let parts = $0.split(separator: " ")
                    guard parts.count == 2, let i = Int(parts[0]), let t = Double(parts[1]) else { return nil }
                    return (i, t)
                }
            }
            func waitForLines(after t: Double, count: Int) throws {
                let deadline = monotonicSeconds() + 60
                while try written().filter({ $0.1 > t }).count < count {
                    try #require(
                        monotonicSeconds() < deadline, "the container did not write \(count) lines within 60 s")
                    usleep(200_000)
                }
            }
            /// The longest pause between two successful writes in [from, to], and the writes that failed there.
            func stall(from: Double, to: Double) throws -> (gap: Double, failed: Int) {
                let times = try written().map(\.1).filter { $0 >= from && $0 <= to }
                let gap = zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? 0
                let failed = try lab.exec("n1", ["/usr/bin/docker", "exec", container, "cat", "/err"]).stdout.split(
                    separator: "\n"
                )
                .compactMap { Double($0.split(separator: " ").last ?? "") }.filter { $0 >= from && $0 <= to }.count
                return (gap, failed)
            }
            func running() throws -> Bool {
                try lab.exec("n1", ["/usr/bin/docker", "inspect", "-f", "{{.State.Running}}", container]).stdout
                    == "true\n"
            }

            try waitForLines(after: 0, count: 20)
            var before = try uptime()
            // What a failed switch said, with glusterd's own account (its log goes with the lab).
            func failure(_ out: Command.Output) -> String {
                guard out.status != 0 else { return "" }
                let log = (try? lab.exec("n1", ["tail", "-n", "25", "/var/log/glusterfs/glusterd.log"]).stdout) ?? ""
                return "\(out.stderr)\(out.stdout)glusterd.log of n1:\n\(log)"
            }
            let enable = try lab.brickctl("n1", ["tls", "enable", name, "--dir", ca, "--now"])
            #expect(enable.status == 0, "\(failure(enable))")
            print("tls enable --now: \(enable.stdout)")
            try waitForLines(after: try uptime(), count: 20)
            let on = try stall(from: before, to: try uptime())
            #expect(try running(), "the container stopped during tls enable")
            // The restarted bricks take TLS only and the container kept writing: the plugin's
            // running FUSE client moved to TLS connections (its log says so for each brick).
            let logs = try lab.exec(
                "n1", ["sh", "-c", "grep 'IO path is ENABLED' \(stateDir)/logs/\(name).log | grep -c \(name)-client"]
            ).stdout
            #expect(
                (Int(logs.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 3,
                "the plugin's FUSE client made no TLS connection to the bricks: \(logs)")

            before = try uptime()
            let disable = try lab.brickctl("n1", ["tls", "disable", name, "--now"])
            #expect(disable.status == 0, "\(failure(disable))")
            print("tls disable --now: \(disable.stdout)")
            try waitForLines(after: try uptime(), count: 20)
            let off = try stall(from: before, to: try uptime())
            #expect(try running(), "the container stopped during tls disable")
            print(
                String(
                    format:
                        "I/O under the switch (writes every 50 ms): tls enable --now: longest pause %.2f s, %d failed writes; tls disable --now: %.2f s, %d failed writes",
                    on.gap, on.failed, off.gap, off.failed))

            // Every line written, before, between and after, on every brick (after self-heal).
            let lines = try written()
            #expect(zip(lines, lines.dropFirst()).allSatisfy { $0.0 < $1.0 }, "lines out of order")
            _ = try lab.exec("n1", ["/usr/bin/docker", "rm", "-f", container])
            container = ""
            let expected = lines.map { "\($0.0) " }
            deadline = monotonicSeconds() + 90
            for node in lab.nodes {
                var copy = ""
                repeat {
                    copy = try lab.exec(node, ["cat", "\(brickRoot)/\(name)/brickctl/volumes/tlsdata/log"]).stdout
                    if expected.allSatisfy({ copy.contains("\n" + $0) || copy.hasPrefix($0) }) { break }
                    _ = try? lab.gluster("n1", ["volume", "heal", name])
                    usleep(500_000)
                } while monotonicSeconds() < deadline
                #expect(
                    expected.allSatisfy { copy.contains("\n" + $0) || copy.hasPrefix($0) },
                    "\(node)'s brick misses lines")
            }
        }

        /// A plugin on a host that auth.allow does not list: Create is refused with the address to
        /// allow as soon as gfapi's log shows the refusal (before: glfs_init's whole wait).
        @Test func refusedPluginCreateSaysWhichAddressAtOnce() throws {
            let plugins = try PluginLab.shared()
            let name = lab.volumeName("rf")
            let socket = "/run/brickctl-refusal.sock"
            defer {
                if let pid = try? lab.exec(lab.outsider, ["cat", "/run/brickctl-refusal.pid"]).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines),
                    let number = Int32(pid)
                {
                    kill(number, SIGTERM)
                }
                _ = try? lab.exec(
                    lab.outsider, ["rm", "-rf", "/run/brickctl-refusal-state", socket, "/run/brickctl-refusal.pid"])
                _ = try? lab.gluster("n1", ["volume", "stop", name])
                _ = try? lab.gluster("n1", ["volume", "delete", name])
            }
            try #require(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            try #require(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            let address = try #require(
                try lab.exec("n1", ["getent", "ahostsv4", lab.outsider]).stdout.split(separator: " ").first.map(
                    String.init))
            let plugin = try Command(
                lab.script,
                [
                    "exec", lab.outsider, "sh", "-c", "echo $$ >/run/brickctl-refusal.pid; exec \"$@\"", "sh",
                    Fixtures.brickctl, "plugin", "serve", "--servers", "n1", "--volume", name, "--socket", socket,
                    "--state-dir", "/run/brickctl-refusal-state", "--local-root", "/var/tmp/brickctl-refusal-local",
                ], environment: ["LAB_ID": Lab.id]
            )
            .spawn(stdout: .null, stderr: .null)
            defer { plugin.terminate() }
            let deadline = monotonicSeconds() + 10
            while !(try plugins.raw(lab.outsider, "Plugin.Activate", "", socket: socket).stdout.contains("VolumeDriver"))
            {
                try #require(monotonicSeconds() < deadline, "the plugin did not listen within 10 s")
                usleep(50_000)
            }
            let started = monotonicSeconds()
            let create = try lab.exec(
                lab.outsider,
                [
                    "curl", "-s", "-m", "90", "--unix-socket", socket, "-X", "POST", "--data-binary",
                    #"{"Name":"refused"}"#,
                    "http://plugin/VolumeDriver.Create",
                ])
            let took = monotonicSeconds() - started
            #expect(
                create.stdout.contains("auth.allow of \(name) does not list \(address)")
                    && create.stdout.contains("gluster volume set \(name) auth.allow LIST,\(address)"),
                "\(create.stdout)")
            print(String(format: "refused plugin Create answered in %.2f s: %@", took, create.stdout))
        }
        /// `scripts/lab up 3 --tls` (a lab of its own: BRICKCTL_TEST_LAB_ID + "m"): the pool's
        /// CA and every node's certificate in place and management TLS on from glusterd's first
        /// start. Peers join over TLS, a volume with I/O TLS (`tls enable`) is mounted by a client
        /// that has its certificate; with secure-access gone (`tls management off`) the same
        /// client cannot even fetch the volume from glusterd.
        @Test func labWithTLSManagementAndIO() throws {
            let id = String("\(Lab.id)m".suffix(3))
            let script = lab.script
            func inLab(_ arguments: [String]) throws -> Command.Output {
                try Command(script, arguments, environment: ["LAB_ID": id, "BRICKCTL": Fixtures.brickctl]).run()
            }
            func node(_ name: String, _ argv: [String], input: String? = nil) throws -> Command.Output {
                try Command(script, ["exec", name] + argv, environment: ["LAB_ID": id]).run(input: input)
            }
            defer { _ = try? inLab(["down"]) }
            let up = try inLab(["up", "3", "--tls"])
            try #require(up.status == 0, "\(up.stderr)")
            let ca = "/var/lib/brickctl-lab-\(id)/tls"
            #expect(up.stderr.contains("management TLS on"), "\(up.stderr)")
            for name in ["n1", "n2", "n3"] {
                #expect(try node(name, ["test", "-e", "/var/lib/glusterd/secure-access"]).status == 0, "\(name)")
                #expect(try node(name, ["readlink", links[0]]).stdout == "\(ssl[0])\n", "\(name)")
            }
            #expect(try node("n1", [Fixtures.brickctl, "peer", "probe", "n2"]).status == 0)
            let log = try node(
                "n1", ["grep", "-c", "SSL support for MGMT is ENABLED", "/var/log/glusterfs/glusterd.log"]
            ).stdout
            #expect(
                (Int(log.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0,
                "glusterd made no TLS management connection")

            let create = try node(
                "n1", [Fixtures.brickctl, "volume", "create", "tv", "--replica", "2", "--allow", "n3"])
            #expect(create.status == 0, "\(create.stderr)")
            #expect(try node("n1", [Fixtures.brickctl, "tls", "enable", "tv", "--dir", ca]).status == 0)
            #expect(try node("n1", [Fixtures.brickctl, "volume", "start", "tv"]).status == 0)
            _ = try node("n3", ["mkdir", "-p", "/mnt/tv"])
            let mount = try node("n3", ["timeout", "60", "mount", "-t", "glusterfs", "n1:/tv", "/mnt/tv"])
            #expect(mount.status == 0, "\(mount.stderr)")
            #expect(try node("n3", ["tee", "/mnt/tv/file"], input: "tls all the way\n").status == 0)
            _ = try node("n3", ["umount", "/mnt/tv"])
            for name in ["n1", "n2"] {
                #expect(try node(name, ["cat", "\(brickRoot)/tv/file"]).stdout == "tls all the way\n", "\(name)")
            }

            let off = try node("n3", [Fixtures.brickctl, "tls", "management", "off"])
            #expect(off.status == 0 && off.stdout.contains("glusterd restarted"), "\(off.stdout)\(off.stderr)")
            let refused = try node("n3", ["timeout", "20", "mount", "-t", "glusterfs", "n1:/tv", "/mnt/tv"])
            #expect(refused.status != 0, "a client without management TLS fetched the volume")
            _ = try node("n3", ["umount", "-l", "/mnt/tv"])
        }
    }
}
