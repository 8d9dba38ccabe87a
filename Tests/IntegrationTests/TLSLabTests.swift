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
            guard try lab.exec(node, ["timeout", "60", "mount", "-t", "glusterfs", "n1:/\(name)", mnt]).status == 0 else { return nil }
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
                for node in nodes { _ = try? lab.exec(node, ["rm", "-f"] + ssl) }
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
            try String(bundle.prefix(bundle.count / 2)).write(toFile: "\(dir)/corrupt.pem", atomically: true, encoding: .utf8)
            let withoutCA = bundle.components(separatedBy: "-----BEGIN CERTIFICATE-----").prefix(2).joined(separator: "-----BEGIN CERTIFICATE-----")
            try withoutCA.write(toFile: "\(dir)/noca.pem", atomically: true, encoding: .utf8)
            for (file, message) in [
                ("corrupt.pem", "again"), ("n1.pem", "not for n4"), ("noca.pem", "no CA certificate"), ("missing.pem", "cannot read"),
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
            }
            #expect(!FileManager.default.fileExists(atPath: ssl[0]), "a node's install reached the host's /etc/ssl")
            let status = try lab.brickctl("n2", ["tls", "status", "--dir", ca, "--json"])
            let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            let rows = try #require(json?["certificates"] as? [[String: Any]], "\(status.stdout)\(status.stderr)")
            #expect(rows.count == 3 && rows.allSatisfy { ($0["expires"] as? String)?.count == 10 && ($0["daysLeft"] as? Int ?? 0) > 700 })
            #expect((rows.first?["subject"] as? String)?.contains("CN=n2") == true, "\(rows)")
            #expect(!status.stdout.contains("PRIVATE"))

            // A TLS volume that the outsider's address may mount: only the certificate decides.
            #expect(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3", "--allow", lab.outsider]).status == 0)
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
            #expect(try lab.brickctl("n1", ["tls", "issue", "n4", "--dir", other, "--out", "\(dir)/n4-other.pem"]).status == 0)
            #expect(try lab.brickctl(lab.outsider, ["tls", "install", "\(dir)/n4-other.pem"]).status == 0)
            #expect(try mountAndRead(lab.outsider, name, "secret") == nil)
            // The pool's certificate: mounts and reads.
            #expect(try lab.brickctl(lab.outsider, ["tls", "install", "\(dir)/n4.pem"]).status == 0)
            #expect(try mountAndRead(lab.outsider, name, "secret") == "over-tls\n")
        }
    }
}
