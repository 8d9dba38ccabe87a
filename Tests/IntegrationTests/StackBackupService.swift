import Foundation
import HostIO
import Testing

extension Integration.StackDeployTests {
    /// Issue 17 item 1 on the deployed stack: the backup service runs one task on a WordPress node
    /// (never the database node), is healthy, and its first dump lies on every brick of the
    /// Gluster volume with its .sha256 and status.json; the dump decompresses to a complete
    /// mariadb-dump of the WordPress database.
    func backupServiceDumps() throws {
        let service = "\(Self.stack)_backup"
        let nodes = try lab.waitFor("\(service) running", seconds: 60) { () -> [String]? in
            let running = try lab.runningTasks(service)
            return running.count == 1 ? running : nil
        }
        #expect(Self.wordpressNodes.contains(nodes[0]), "backup task on \(nodes[0])")
        let folder = "/data/glusterfs/brick1/brick/\(Self.volume)/brickctl/volumes/\(Self.stack)_backups"
        let status = try lab.waitFor("the first dump's status.json on n2's brick", seconds: 120) { () -> String? in
            let out = try lab.exec("n2", ["cat", "\(folder)/status.json"])
            return out.succeeded && out.stdout.contains("\"lastAttemptOk\":true") ? out.stdout : nil
        }
        print("backup service: \(status)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any])
        let good = try #require(json["lastGood"] as? [String: Any])
        let file = try #require(good["file"] as? String)
        for node in ["n2", "n3", "n4"] {
            let sum = try lab.exec(node, ["sh", "-c", "cd \"$1\" && sha256sum -c \"$2.sha256\"", "sh", folder, file])
            #expect(sum.succeeded && sum.stdout.contains("\(file): OK"), "\(node): \(sum.stdout)\(sum.stderr)")
        }
        let text = try lab.exec("n3", ["sh", "-c", "zstd -dc \"$1\" | tail -n 1", "sh", "\(folder)/\(file)"])
        #expect(text.stdout.hasPrefix("-- Dump completed"), "\(text.stdout)\(text.stderr)")
        let container = try #require(try lab.container(of: service, on: nodes[0]))
        let health = try lab.waitFor("\(service) healthy", seconds: 60) { () -> String? in
            let out = try lab.docker(nodes[0], ["inspect", "--format", "{{.State.Health.Status}}", container])
            return out.stdout.hasPrefix("healthy") ? out.stdout : nil
        }
        #expect(health.hasPrefix("healthy"))
    }
}
