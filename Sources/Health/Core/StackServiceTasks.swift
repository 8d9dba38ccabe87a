public import Stack

/// A stack's service as its tasks show it: how many slots should run, how many do, and where.
public struct StackServiceTasks: Hashable, Sendable, Codable {
    public var name: String
    /// Tasks whose desired state is Running (one per slot, or per node for global services).
    public var wanted: Int
    public var running: Int
    /// The nodes its running tasks are on.
    public var nodes: [String]
    /// The error of a task that should run and does not, if any.
    public var lastError: String?

    /// Groups `docker stack ps` tasks by service (history, desired Shutdown, counts only for its error).
    public static func services(stack: String, tasks: [StackTask]) -> [StackServiceTasks] {
        let names = Set(tasks.map { $0.service(inStack: stack) }).sorted()
        return names.map { name in
            let mine = tasks.filter { $0.service(inStack: stack) == name }
            let current = mine.filter { $0.desiredState == "Running" }
            let running = current.filter(\.isRunning)
            let failing = current.first { !$0.isRunning && !$0.error.isEmpty }
            return StackServiceTasks(
                name: name, wanted: current.count, running: running.count,
                nodes: Array(Set(running.map(\.node))).sorted(), lastError: failing?.error)
        }
    }
}
