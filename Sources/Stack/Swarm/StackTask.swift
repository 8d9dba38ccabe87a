import Foundation

/// One task of a deployed stack, from `docker stack ps NAME --format '{{json .}}'`.
public struct StackTask: Equatable, Sendable {
    public var id: String
    /// `wp_wordpress.1`
    public var name: String
    public var node: String
    /// `Running` or `Shutdown`.
    public var desiredState: String
    /// `Running 5 seconds ago`, `Starting ...`, `Pending ...`, `Failed ...`, `Rejected ...`.
    public var currentState: String
    public var error: String

    /// The service's name without the stack prefix and the slot: `wordpress`.
    public func service(inStack stack: String) -> String {
        var base = name
        if base.hasPrefix("\(stack)_") { base.removeFirst(stack.count + 1) }
        if let dot = base.lastIndex(of: "."), base[base.index(after: dot)...].allSatisfy(\.isNumber) {
            base = String(base[..<dot])
        }
        return base
    }

    public var isRunning: Bool { desiredState == "Running" && currentState.hasPrefix("Running") }
    public var hasFailed: Bool {
        ["Failed", "Rejected"].contains { currentState.hasPrefix($0) } || (!error.isEmpty && !isRunning)
    }

    /// The tasks in `docker stack ps --no-trunc --format '{{json .}}'` output (one object a line).
    public static func parse(jsonLines text: String) -> [StackTask] {
        text.split(separator: "\n").compactMap { line in
            let object = JSONLine.object(String(line))
            func field(_ key: String) -> String? { object[key] }
            guard let id = field("ID"), let name = field("Name") else { return nil }
            return StackTask(
                id: id, name: name, node: field("Node") ?? "", desiredState: field("DesiredState") ?? "",
                currentState: field("CurrentState") ?? "", error: field("Error") ?? "")
        }
    }
}

/// How far a deploy got: per service, the tasks that should run and those that do.
public struct DeployProgress: Equatable, Sendable {
    public struct Service: Equatable, Sendable {
        public var name: String
        public var running: Int
        public var wanted: Int
    }

    public var services: [Service]
    /// Errors of tasks that should run but failed, were rejected or cannot be placed: task id →
    /// message (the id lets a caller show each error once).
    public var errors: [(task: String, message: String)]

    public static func == (a: DeployProgress, b: DeployProgress) -> Bool {
        a.services == b.services && a.errors.map(\.task) == b.errors.map(\.task)
            && a.errors.map(\.message) == b.errors.map(\.message)
    }

    /// - Parameters:
    ///   - replicas: per service (short name), how many tasks it should run.
    public init(stack: String, tasks: [StackTask], replicas: [String: Int]) {
        services = replicas.keys.sorted().map { service in
            let running = tasks.filter { $0.service(inStack: stack) == service && $0.isRunning }.count
            return Service(name: service, running: running, wanted: replicas[service] ?? 0)
        }
        // Only the newest attempt of each slot matters: a task that failed and was replaced is
        // history (`docker stack ps` lists it with desired state Shutdown).
        errors = tasks.filter { $0.desiredState == "Running" && !$0.isRunning && !$0.error.isEmpty }
            .map {
                (
                    $0.id,
                    "\($0.name) on \($0.node.isEmpty ? "no node" : $0.node): \($0.currentState.split(separator: " ").first ?? ""): \($0.error)"
                )
            }
        let failedHistory = tasks.filter { $0.desiredState == "Shutdown" && $0.hasFailed && !$0.error.isEmpty }
        errors += failedHistory.map {
            ($0.id, "\($0.name) on \($0.node.isEmpty ? "no node" : $0.node) failed: \($0.error)")
        }
    }

    public var done: Bool { !services.isEmpty && services.allSatisfy { $0.running >= $0.wanted } }

    /// One line for people: `db 1/1, haproxy 0/1, wordpress 1/2`.
    public var summary: String { services.map { "\($0.name) \($0.running)/\($0.wanted)" }.joined(separator: ", ") }
}

/// Reading one string field of a one-line JSON object without Foundation's JSONSerialization.
enum JSONLine {
    /// The string fields of the object (others are left out); empty when the line is not one.
    static func object(_ line: String) -> [String: String] {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8)) else {
            return [:]
        }
        return object.compactMapValues { if case .string(let text) = $0 { text } else { nil } }
    }

    enum JSONValue: Decodable {
        case string(String)
        case other
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .string(text) } else { self = .other }
        }
    }
}
