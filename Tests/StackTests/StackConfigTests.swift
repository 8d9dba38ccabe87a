import BrickctlTestSupport
import Foundation
import HostIO
import Stack
import Testing
import Yams

/// The first docker client on this machine that has `docker stack config` (none: the suite is skipped).
enum DockerStackConfigClient {
    static let path: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates =
            path.split(separator: ":").map { "\($0)/docker" } + ["/usr/local/bin/docker", "/usr/bin/docker"]
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let help = try? Command(
                candidate, ["stack", "config", "--help"], environment: ["DOCKER_HOST": "unix:///nonexistent"]
            )
            .run(timeout: 30)
            if help?.succeeded == true { return candidate }
        }
        return nil
    }()
}

/// The rendered stack as Docker's own client reads it: `docker stack config` (newer clients than
/// Debian's 20.10 have it; it needs no daemon) validates the file against Docker's Compose schema, resolves
/// the HAProxy config file beside it, and prints what `docker stack deploy` would deploy. The rules
/// of the recipe must survive that reading, for every load-balancing mode and image set.
/// Skipped only outside CI when no client has `stack config`; in CI (`CI` set, as `.ci/run` does) it
/// runs and fails loudly if the client is missing.
@Suite(
    .enabled(
        if: DockerStackConfigClient.path != nil || ProcessInfo.processInfo.environment["CI"] != nil,
        "no docker client with `stack config` on this machine"), .offCooperativePool)
struct StackConfigTests {
    /// Writes the stack (and haproxy.cfg beside it) into a fresh folder and returns what
    /// `docker stack config` makes of it, parsed.
    func dockerReading(_ stack: WordPressStack) throws -> Node {
        let client = try #require(
            DockerStackConfigClient.path, "CI needs a docker client with `docker stack config` (Docker 23 or later)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "brickctl-stack-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("stack.yml").path
        try stack.yaml().write(toFile: file, atomically: true, encoding: .utf8)
        for (name, text) in stack.configFiles {
            try text.write(toFile: dir.appendingPathComponent(name).path, atomically: true, encoding: .utf8)
        }
        // No daemon is asked: a DOCKER_HOST nobody serves proves it.
        let output = try Command(
            client, ["stack", "config", "-c", file], environment: ["DOCKER_HOST": "unix:///nonexistent"]
        )
        .run(timeout: 60)
        try #require(output.succeeded, "docker stack config refused the stack: \(output.stderr)")
        return try #require(try Yams.compose(yaml: output.stdout), "docker's output parses")
    }

    @Test func dockerReadsTheUploadsOnlyStack() throws {
        var stack = WordPressStack()
        stack.share = .uploads
        let root = try dockerReading(stack)
        let volume = try #require(root["services"]?["wordpress"]?["volumes"]?.sequence?.first)
        #expect(volume["source"]?.string == "uploads")
        #expect(volume["target"]?.string == "/var/www/html/wp-content/uploads")
        #expect(root["volumes"]?["uploads"]?["driver"]?.string == "brickctl")
    }

    @Test(arguments: WordPressStackTests.combinations)
    func dockerReadsTheStackWithItsRules(lb: LoadBalancing, images: ImageSet) throws {
        var stack = WordPressStack()
        stack.loadBalancing = lb
        stack.images = images
        stack.replicas = 3
        let root = try dockerReading(stack)
        let strings = { (node: Node?) in node?.sequence?.compactMap(\.string) ?? [] }

        let wp = try #require(root["services"]?["wordpress"])
        #expect(wp["deploy"]?["replicas"]?.int == 3)
        #expect(
            Set(strings(wp["deploy"]?["placement"]?["constraints"])) == [
                "node.labels.wordpress==true", "node.labels.database!=true",
            ])
        #expect(wp["deploy"]?["endpoint_mode"]?.string == (lb == .proxy ? "dnsrr" : "vip"))
        #expect(wp["image"]?.string == images.wordpress)
        #expect(root["volumes"]?["wp-content"]?["driver"]?.string == "brickctl")
        #expect(root["volumes"]?["wp-content"]?["driver_opts"]?["uid"]?.string == "33")

        let db = try #require(root["services"]?["db"])
        #expect(strings(db["deploy"]?["placement"]?["constraints"]) == ["node.labels.database==true"])
        #expect(root["volumes"]?["db-data"]?["driver_opts"]?["type"]?.string == "local")
        #expect(root["networks"]?["backend"]?["internal"]?.bool == true)

        // Secrets stay external (created by `stack deploy`), no password in any environment.
        for (name, _) in stack.secretNames {
            #expect(root["secrets"]?[Node(name)]?["external"]?.bool == true, "secret \(name)")
        }
        for service in ["wordpress", "db"] {
            let env = root["services"]?[Node(service)]?["environment"]?.mapping ?? [:]
            for (key, _) in env {
                #expect(key.string?.hasSuffix("PASSWORD") == false, "\(service): \(key.string ?? "")")
            }
        }

        switch lb {
        case .proxy:
            let proxy = try #require(root["services"]?["haproxy"])
            #expect(proxy["ports"]?.sequence?.first?["mode"]?.string == "host")
            // Docker resolved the config file next to the stack file: an absolute path to it.
            let file = try #require(root["configs"]?["haproxy_cfg"]?["file"]?.string)
            #expect(file.hasPrefix("/") && file.hasSuffix("/" + WordPressStack.haproxyConfigFile))
        case .mesh:
            #expect(root["services"]?["haproxy"] == nil)
            #expect(wp["ports"]?.sequence?.first?["mode"]?.string == "ingress")
        }
    }
}
