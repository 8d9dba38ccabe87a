import Foundation
import HostIO
import Testing

extension Integration.StackDeployTests {
    static let uploadsStack = "wpu"

    /// `stack deploy --share uploads` on the same Swarm, beside the first stack: only
    /// wp-content/uploads is on the Gluster volume. A file written into uploads by the WordPress
    /// replica on one node is read by the replica on the other and lies on every brick; a folder
    /// made in one replica's themes is not in the other's (themes are each container's own); the
    /// site answers through its proxy.
    func sharingOnlyUploads(host: String) throws {
        let stack = Self.uploadsStack
        let port = Self.port + 1
        let deploy = try brickctl(
            "n1",
            [
                "stack", "deploy", "--name", stack, "--share", "uploads", "--images", "lab", "--port", "\(port)",
                "--timeout", "200", "--dir", "/run/brickctl-stack-\(stack)",
            ], timeout: 240)
        try #require(deploy.succeeded, "stack deploy --share uploads: \(deploy.stdout)\(deploy.stderr)")
        #expect(try lab.runningTasks("\(stack)_wordpress").sorted() == Self.wordpressNodes)

        let content = "/var/lib/wordpress/wp-content"
        let (first, second) = (Self.wordpressNodes[0], Self.wordpressNodes[1])
        let one = try #require(try lab.container(of: "\(stack)_wordpress", on: first))
        let other = try #require(try lab.container(of: "\(stack)_wordpress", on: second))
        let mounts = try lab.docker(
            first, ["inspect", "--format", "{{range .Mounts}}{{.Driver}}:{{.Name}}:{{.Destination}} {{end}}", one])
        #expect(
            mounts.stdout.contains("brickctl:\(stack)_uploads:\(content)/uploads"), "mounts: \(mounts.stdout)")

        // Uploads: shared through Gluster.
        let name = "probe-\(UUID().uuidString.prefix(8)).txt"
        let write = try lab.docker(
            first, ["exec", "-i", "-u", "33", one, "tee", "\(content)/uploads/\(name)"], input: "shared\n")
        #expect(write.succeeded, "write into uploads on \(first): \(write.stderr)")
        let read = try lab.waitFor("the upload seen on \(second)", seconds: 20) { () -> String? in
            let out = try lab.docker(second, ["exec", other, "cat", "\(content)/uploads/\(name)"])
            return out.succeeded ? out.stdout : nil
        }
        #expect(read == "shared\n")
        for node in ["n2", "n3", "n4"] {
            let brick = try lab.exec(
                node, ["cat", "/data/glusterfs/brick1/brick/\(Self.volume)/brickctl/volumes/\(stack)_uploads/\(name)"])
            #expect(brick.stdout == "shared\n", "\(node)'s brick: \(brick.stderr)")
        }

        // Themes: each replica's own.
        let made = try lab.docker(first, ["exec", one, "mkdir", "\(content)/themes/local-only"])
        #expect(made.succeeded, "\(made.stderr)")
        let elsewhere = try lab.docker(second, ["exec", other, "test", "-e", "\(content)/themes/local-only"])
        #expect(!elsewhere.succeeded, "a folder made in \(first)'s themes shows in \(second)'s")

        let page = try lab.waitFor("the uploads-only site through its proxy on \(host):\(port)", seconds: 90) {
            () -> HTTPAnswer? in
            let answer = try lab.httpGet(host, port, "/wp-admin/install.php")
            return answer.status == 200 ? answer : nil
        }
        #expect(page.body.contains("Installation"), "\(page)")
    }
}
