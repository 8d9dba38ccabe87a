import Foundation
import HostIO
import Stack

/// The docker client, run as a program (argv, a timeout each call): the only place brickctl's stack
/// and swarm commands touch Docker.
///
/// `DOCKER_HOST` and the rest of the environment pass through; `BRICKCTL_DOCKER` names another
/// client binary (e.g. /usr/bin/docker when a newer client on PATH does not suit the daemon).
struct DockerCLI {
    var executable: String

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        executable = environment["BRICKCTL_DOCKER"].flatMap { $0.isEmpty ? nil : $0 } ?? "docker"
    }

    /// Runs `docker ARGS`; a failure is returned, not thrown.
    /// - Throws: `CommandFailure` when the client cannot be started or runs past `timeout`.
    func run(_ arguments: [String], input: String? = nil, timeout: Double = 60) throws -> Command.Output {
        do {
            return try Command(executable, arguments).run(input: input, timeout: timeout)
        } catch let error as CommandError {
            throw CommandFailure("\(error): install the docker client, or name it with BRICKCTL_DOCKER=PATH")
        }
    }

    /// Runs `docker ARGS` and returns its stdout.
    /// - Throws: `CommandFailure` with docker's own message and `hint` when it fails.
    @discardableResult
    func check(_ arguments: [String], input: String? = nil, timeout: Double = 60, hint: String = "") throws -> String {
        let out = try run(arguments, input: input, timeout: timeout)
        guard out.succeeded else {
            throw CommandFailure(
                "docker \(arguments.prefix(3).joined(separator: " ")) failed: \(out.message)\(hint.isEmpty ? "" : "; \(hint)")"
            )
        }
        return out.stdout
    }

    /// Every node of the Swarm, as the manager this client talks to sees them.
    /// - Throws: `CommandFailure` when this is not a Swarm manager.
    func nodes() throws -> [SwarmNode] {
        let hint = "run brickctl on a Swarm manager (or set DOCKER_HOST to one)"
        let ids = try check(["node", "ls", "-q"], hint: hint).split(separator: "\n").map(String.init)
        guard !ids.isEmpty else { return [] }
        let json = try check(["node", "inspect"] + ids, hint: hint)
        do {
            return try SwarmNode.parse(inspectJSON: Data(json.utf8))
        } catch {
            throw CommandFailure(error.message)
        }
    }

    /// Whether a Docker secret of that name exists.
    func secretExists(_ name: String) throws -> Bool {
        try run(["secret", "inspect", "--format", "{{.ID}}", name]).succeeded
    }
}
