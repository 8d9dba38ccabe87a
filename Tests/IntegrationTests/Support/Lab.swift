import Foundation
import HostIO
import Testing

/// The multi-node Gluster lab (`scripts/lab`) as a test fixture: three glusterd nodes in network
/// namespaces, each with a brick made by `brickctl prepare`, and a fourth node, `outsider`, that
/// is never probed: a host on the same network that is not in the pool.
///
/// Brought up once per test process (under its own `LAB_ID`, so a developer's lab is never
/// touched) and torn down when the process exits; `scripts/test` also runs `down` afterwards in
/// case the process died.
final class Lab: @unchecked Sendable {
    /// "t", or BRICKCTL_TEST_LAB_ID (scripts/test passes it on): two checkouts testing on one
    /// machine at the same time must not share a lab.
    static let id = ProcessInfo.processInfo.environment["BRICKCTL_TEST_LAB_ID"] ?? "t"
    let nodes = ["n1", "n2", "n3"]
    /// A lab node outside the pool (nobody probes it): a client that was not allowed.
    let outsider = "n4"
    let script: String

    nonisolated(unsafe) private static var instance: Lab?
    private static let lock = NSLock()

    /// The lab, up.
    static func shared() throws -> Lab {
        try lock.withLock {
            if let instance { return instance }
            try Fixtures.requireRoot()
            let lab = Lab()
            atexit { Lab.tearDown() }
            let up = try lab.run(["up", "4", "--docker"])
            guard up.succeeded else {
                _ = try? lab.run(["down"])
                throw FixtureError("scripts/lab up failed: \(up.stderr)\(up.stdout)")
            }
            instance = lab
            return lab
        }
    }

    static func tearDown() {
        if let lab = instance {
            _ = try? lab.run(["down"])
            instance = nil
        }
    }

    private init() {
        // Tests/IntegrationTests/Support/Lab.swift → repository root.
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        script = repo.appendingPathComponent("scripts/lab").path
    }

    private func run(_ arguments: [String]) throws -> Command.Output {
        try Command(script, arguments, environment: ["LAB_ID": Lab.id, "BRICKCTL": Fixtures.brickctl]).run()
    }

    /// Runs `argv` inside `node`'s network and mount namespaces.
    func exec(_ node: String, _ argv: [String], input: String? = nil) throws -> Command.Output {
        try Command(script, ["exec", node] + argv, environment: ["LAB_ID": Lab.id]).run(input: input)
    }

    /// Runs the brickctl under test inside `node`.
    func brickctl(_ node: String, _ arguments: [String]) throws -> Command.Output {
        try exec(node, [Fixtures.brickctl] + arguments)
    }

    /// Runs the gluster CLI inside `node` (script mode, XML when asked).
    func gluster(_ node: String, _ arguments: [String]) throws -> Command.Output {
        try exec(node, ["gluster", "--mode=script"] + arguments)
    }

    /// A fresh directory name for a test's volume, so bricks of deleted volumes are never reused.
    func volumeName(_ base: String) -> String {
        "\(base)\(UUID().uuidString.prefix(6).lowercased())"
    }
}
