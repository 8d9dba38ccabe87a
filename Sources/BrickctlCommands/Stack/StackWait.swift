import Foundation
import HostIO
import Stack

/// Waiting for a stack's tasks, with a deadline, printing progress as it changes.
enum StackWait {
    /// Polls `probe` every `interval` (a `Task.sleep` between) until it returns a value, at most `seconds`.
    /// - Throws: `CommandFailure` naming `what` when the deadline passes.
    @discardableResult
    static func poll<T>(
        _ what: String, seconds: Int, every interval: Duration = .seconds(1), _ probe: () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            if let value = try await probe() { return value }
            guard ContinuousClock.now < deadline else {
                throw CommandFailure("timed out after \(seconds) s waiting for \(what)")
            }
            try await Task.sleep(for: interval)
        }
    }

    /// Waits until every service of `stack` runs its replicas; prints the progress line when it
    /// changes and each task error once.
    /// - Throws: `CommandFailure` with the last progress and the task errors at the deadline.
    static func untilRunning(docker: DockerCLI, stack: String, replicas: [String: Int], seconds: Int) async throws
        -> DeployProgress
    {
        var lastSummary = ""
        var shownErrors: Set<String> = []
        var last: DeployProgress?
        do {
            return try await poll("every task of stack \(stack) to run", seconds: seconds) { () -> DeployProgress? in
                let out = try docker.run(["stack", "ps", stack, "--no-trunc", "--format", "{{json .}}"])
                guard out.succeeded else { return nil }  // right after deploy: "nothing found in stack"
                let progress = DeployProgress(
                    stack: stack, tasks: StackTask.parse(jsonLines: out.stdout), replicas: replicas)
                last = progress
                if progress.summary != lastSummary {
                    lastSummary = progress.summary
                    print("running: \(progress.summary)")
                    fflush(nil)  // progress as it happens, also through a pipe
                }
                // Each message once (a task that keeps failing repeats it with every attempt).
                for error in progress.errors where !shownErrors.contains(error.message) {
                    shownErrors.insert(error.message)
                    print("  task error: \(error.message)")
                    fflush(nil)
                }
                return progress.done ? progress : nil
            }
        } catch let failure as CommandFailure {
            // The latest few (a task that keeps failing leaves one entry per attempt).
            var seen: Set<String> = []
            let errors = Array((last?.errors ?? []).map(\.message).filter { seen.insert($0).inserted }.suffix(6))
            throw CommandFailure(
                "\(failure.message) (\(last?.summary ?? "no task yet"))"
                    + (errors.isEmpty
                        ? "; see docker stack ps \(stack) --no-trunc"
                        : "; task errors:\n  " + errors.joined(separator: "\n  ")))
        }
    }

    /// Prints where each running task of `stack` runs.
    static func showTasks(docker: DockerCLI, stack: String) throws {
        let tasks = StackTask.parse(
            jsonLines: try docker.check(["stack", "ps", stack, "--no-trunc", "--format", "{{json .}}"]))
        var table = TextTable(["SERVICE", "TASK", "NODE", "STATE"])
        for task in tasks.filter(\.isRunning).sorted(by: { $0.name < $1.name }) {
            table.add([task.service(inStack: stack), task.name, task.node, task.currentState])
        }
        print(table.render(), terminator: "")
    }
}
