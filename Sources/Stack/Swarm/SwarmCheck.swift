/// Whether the Swarm can run the WordPress stack as the recipe wants it: exactly one database node,
/// at least one WordPress node that is not the database node, every node ready.
///
/// Pure: a list of nodes in, findings out, each with the change that fixes it (the command layer
/// words it as a command).
public struct SwarmCheck: Equatable, Sendable {
    public struct Finding: Equatable, Sendable, Codable {
        public enum Severity: String, Sendable, Codable { case error, warning }
        public var severity: Severity
        public var message: String
        /// The change that fixes it.
        public var remedy: Remedy

        public init(_ severity: Severity, _ message: String, remedy: Remedy) {
            self.severity = severity
            self.message = message
            self.remedy = remedy
        }
    }

    /// What to change in the Swarm.
    public enum Remedy: Equatable, Sendable, Codable {
        /// Remove a node that is down from the Swarm.
        case removeNode(String)
        /// Make a labelled node take tasks again.
        case activate(String)
        /// Add (or, with `remove`, take away) a stack label of `node`; `node` is nil when no node fits.
        case label(node: String?, Label, remove: Bool)
    }

    /// The node labels the stack's placement reads.
    public enum Label: String, Equatable, Sendable, Codable { case database, wordpress }

    public var findings: [Finding]
    /// True when nothing stops a deploy (warnings allowed).
    public var passed: Bool { !findings.contains { $0.severity == .error } }

    public init(nodes: [SwarmNode]) {
        var findings: [Finding] = []
        let sorted = nodes.sorted { $0.hostname < $1.hostname }
        let databases = sorted.filter(\.isDatabase)
        let wordpress = sorted.filter { $0.isWordPress && !$0.isDatabase }

        for node in sorted where !node.isReady {
            findings.append(
                .init(
                    .error,
                    "node \(node.hostname) is \(node.state), not ready: start its Docker daemon, or remove it from the Swarm",
                    remedy: .removeNode(node.hostname)))
        }
        for node in sorted where node.isReady && node.availability != "active" && (node.isDatabase || node.isWordPress)
        {
            findings.append(
                .init(
                    .error,
                    "node \(node.hostname) is labelled for the stack but its availability is \(node.availability): no task runs there",
                    remedy: .activate(node.hostname)))
        }
        // With no database node, the one suggested below (a worker without WordPress, else any
        // worker, else any node); the WordPress suggestion avoids it.
        let databaseCandidate =
            sorted.last { $0.role == "worker" && !$0.isWordPress } ?? sorted.last { $0.role == "worker" } ?? sorted.last
        switch databases.count {
        case 0:
            let candidate = databaseCandidate
            findings.append(
                .init(
                    .error, "no database node: label the one node whose local disk keeps MariaDB's data",
                    remedy: .label(node: candidate?.hostname, .database, remove: false)))
        case 1:
            break
        default:
            for extra in databases.dropFirst() {
                findings.append(
                    .init(
                        .error,
                        "\(databases.count) database nodes (\(databases.map(\.hostname).joined(separator: ", "))): MariaDB's data lives on one node's local disk; keep only \(databases[0].hostname)",
                        remedy: .label(node: extra.hostname, .database, remove: true)))
            }
        }
        for node in sorted where node.isDatabase && node.isWordPress {
            findings.append(
                .init(
                    .warning,
                    "node \(node.hostname) is labelled both database and wordpress: WordPress never runs on the database node",
                    remedy: .label(node: node.hostname, .wordpress, remove: true)))
        }
        if wordpress.isEmpty {
            let avoid = databases.isEmpty ? databaseCandidate?.id : nil
            let candidate =
                sorted.first { $0.role == "worker" && !$0.isDatabase && $0.id != avoid }
                ?? sorted.first { !$0.isDatabase && $0.id != avoid }
            findings.append(
                .init(
                    .error,
                    "no wordpress node apart from the database node: label the nodes WordPress replicas may run on",
                    remedy: .label(node: candidate?.hostname, .wordpress, remove: false)))
        }
        self.findings = findings
    }
}
