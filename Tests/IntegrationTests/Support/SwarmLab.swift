import Foundation
import HostIO
import Testing

/// The recipe's Swarm on the lab (`scripts/lab up 4 --swarm`) as a test fixture: four nodes with
/// glusterd and dockerd, n1 the manager (also on the external network the host reaches), n2–n4
/// workers, and the images of `scripts/images` loaded where the tests run them.
///
/// Brought up once per test process under its own `LAB_ID` ("s", or BRICKCTL_TEST_SWARM_LAB_ID:
/// never the Gluster tests' "t" lab) and torn down when the process exits; `scripts/test` also runs `down` afterwards in case
/// the process died. Every command runs under `timeout`, every wait has a deadline.
final class SwarmLab: @unchecked Sendable {
    static let id = ProcessInfo.processInfo.environment["BRICKCTL_TEST_SWARM_LAB_ID"] ?? "s"
    /// The small lab of the teardown test (BRICKCTL_TEST_SWARM_DOWN_LAB_ID, default "sd").
    static let downID = ProcessInfo.processInfo.environment["BRICKCTL_TEST_SWARM_DOWN_LAB_ID"] ?? "sd"
    let nodes = ["n1", "n2", "n3", "n4"]
    let repo: String
    let script: String

    nonisolated(unsafe) private static var instance: SwarmLab?
    private static let lock = NSLock()

    /// Which image each node needs for the tests (loading all four into every node costs ~35 s).
    static let images: [(nodes: String, images: [String])] = [
        ("all", ["busybox"]), ("n1", ["haproxy"]), ("n2", ["mariadb"]), ("n3,n4", ["wordpress"]),
        // The stacks' backup service runs the database image on a WordPress node (issue 17).
        ("n3,n4", ["mariadb"]),
    ]

    /// Set when a test changed the lab's machines for good (`removeNode`, `lab node add`): the next
    /// suite that asks for the lab gets a new one of four nodes.
    nonisolated(unsafe) static var reshaped = false

    /// The Swarm lab, up, with the test images loaded.
    static func shared() throws -> SwarmLab {
        try lock.withLock {
            if let instance, !reshaped { return instance }
            if let instance {
                _ = try? instance.lab(["down"], timeout: 180)
                Self.instance = nil
                reshaped = false
            }
            try Fixtures.requireRoot()
            let lab = SwarmLab()
            atexit { SwarmLab.tearDown() }
            // Built once per machine and cached by recipe hash (seconds when cached).
            let build = try lab.images(["build"], timeout: 1800)
            guard build.succeeded else { throw FixtureError("scripts/images build failed: \(build.stderr)") }
            let up = try lab.lab(["up", "4", "--swarm"], timeout: 300)
            guard up.succeeded else {
                _ = try? lab.lab(["down"], timeout: 120)
                throw FixtureError("scripts/lab up 4 --swarm failed: \(up.stderr)\(up.stdout)")
            }
            instance = lab
            for (nodes, images) in images {
                let load = try lab.images(["load", nodes] + images, timeout: 600)
                guard load.succeeded else { throw FixtureError("scripts/images load \(nodes) failed: \(load.stderr)") }
            }
            return lab
        }
    }

    static func tearDown() {
        if let lab = instance {
            _ = try? lab.lab(["down"], timeout: 180)
            instance = nil
        }
    }

    init() {
        // Tests/IntegrationTests/Support/SwarmLab.swift → repository root.
        repo =
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        script = "\(repo)/scripts/lab"
    }

    /// `scripts/lab node rm NODE`: the machine is gone for good (its processes, containers and
    /// disks); the lab is rebuilt for the next suite that asks for it.
    func removeNode(_ node: String) throws {
        Self.lock.withLock { Self.reshaped = true }
        let out = try lab(["node", "rm", node], timeout: 120)
        guard out.succeeded else { throw FixtureError("scripts/lab node rm \(node) failed: \(out.stderr)") }
    }

    /// `scripts/lab ARGS` for lab `id`, killed after `timeout` seconds.
    func lab(_ arguments: [String], id: String = SwarmLab.id, timeout: Int = 120, input: String? = nil) throws
        -> Command.Output
    {
        try Command(
            "timeout", ["-k", "5", "\(timeout)", script] + arguments,
            environment: ["LAB_ID": id, "BRICKCTL": Fixtures.brickctl]
        ).run(input: input)
    }

    /// `scripts/images ARGS` (loads go to this lab).
    func images(_ arguments: [String], timeout: Int) throws -> Command.Output {
        try Command(
            "timeout", ["-k", "5", "\(timeout)", "\(repo)/scripts/images"] + arguments,
            environment: ["LAB_ID": SwarmLab.id]
        )
        .run()
    }

    /// The docker client against `node`'s dockerd.
    func docker(_ node: String, _ arguments: [String], timeout: Int = 60, input: String? = nil) throws -> Command.Output
    {
        try lab(["docker", node] + arguments, timeout: timeout, input: input)
    }

    /// Runs `argv` inside `node` (its network, mount and UTS namespaces).
    func exec(_ node: String, _ argv: [String], timeout: Int = 30) throws -> Command.Output {
        try lab(["exec", node] + argv, timeout: timeout)
    }

    /// n1's address on the external network (the only lab address the host reaches).
    func externalAddress() throws -> String {
        let out = try exec("n1", ["ip", "-4", "-o", "addr", "show", "dev", "ext0"])
        guard let field = out.stdout.split(separator: " ").first(where: { $0.contains("/") }) else {
            throw FixtureError("n1 has no ext0 address: \(out.stdout)\(out.stderr)")
        }
        return String(field.split(separator: "/")[0])
    }

    /// An HTTP/1.0 GET from the host to `host:port` with busybox nc; the raw answer.
    func httpGet(_ host: String, _ port: Int, _ path: String, cookie: String? = nil) throws -> HTTPAnswer {
        var request = "GET \(path) HTTP/1.0\r\nHost: lab\r\n"
        if let cookie { request += "Cookie: \(cookie)\r\n" }
        request += "\r\n"
        let out = try Command("timeout", ["-k", "2", "10", "busybox", "nc", host, "\(port)"]).run(input: request)
        return HTTPAnswer(out.stdout)
    }

    /// A name no other test run used, for services and networks.
    func unique(_ base: String) -> String { "\(base)\(UUID().uuidString.prefix(6).lowercased())" }

    /// Polls `probe` until it returns a value, at most `seconds`.
    @discardableResult
    func waitFor<T>(_ what: String, seconds: Double = 90, _ probe: () throws -> T?) throws -> T {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            do {
                if let value = try probe() { return value }
            } catch {
                lastError = error
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
        throw FixtureError("timed out after \(Int(seconds)) s waiting for \(what)\(lastError.map { ": \($0)" } ?? "")")
    }

    /// Nodes running `service`'s tasks (state running), as the manager reports them.
    func runningTasks(_ service: String) throws -> [String] {
        let out = try docker(
            "n1",
            ["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}"])
        return out.stdout.split(separator: "\n").filter { $0.contains(" Running") }.map {
            String($0.split(separator: " ")[0])
        }
    }

    /// The container of `service`'s task on `node`.
    func container(of service: String, on node: String) throws -> String? {
        let out = try docker(node, ["ps", "-q", "--filter", "label=com.docker.swarm.service.name=\(service)"])
        return out.stdout.split(separator: "\n").first.map(String.init)
    }

    /// Removes services and networks (best effort; the lab's `down` removes everything anyway).
    func remove(services: [String], networks: [String] = []) {
        if !services.isEmpty { _ = try? docker("n1", ["service", "rm"] + services) }
        if !networks.isEmpty {
            // Networks go once their tasks are gone.
            _ = try? waitFor("networks \(networks) removed", seconds: 30) { () -> Bool? in
                (try docker("n1", ["network", "rm"] + networks)).succeeded ? true : nil
            }
        }
    }
}

/// An HTTP answer as read off the socket.
struct HTTPAnswer: CustomStringConvertible {
    var raw: String
    init(_ raw: String) { self.raw = raw }

    var status: Int? {
        guard let line = raw.split(separator: "\r\n", maxSplits: 1).first else { return nil }
        let parts = line.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }

    var body: String {
        guard let range = raw.range(of: "\r\n\r\n") else { return "" }
        return String(raw[range.upperBound...])
    }

    /// The value of a cookie the answer sets (`Set-Cookie: NAME=VALUE; ...`).
    func setCookie(_ name: String) -> String? {
        for line in raw.split(separator: "\r\n") where line.lowercased().hasPrefix("set-cookie: \(name.lowercased())=")
        {
            let value = line.dropFirst("set-cookie: \(name)=".count)
            return value.split(separator: ";").first.map(String.init) ?? ""
        }
        return nil
    }

    var description: String { String(raw.prefix(600)) }
}
