/// How far a rebalance is, as `gluster volume rebalance NAME status` reports it: per node and in
/// total (files moved, bytes, failures, state).
public struct RebalanceStatus: Hashable, Sendable, Codable {
    public struct Node: Hashable, Sendable, Codable {
        /// The host as glusterd names it (`localhost` for the node that answered).
        public var host: String
        public var files: Int
        public var bytes: UInt64
        public var scanned: Int
        public var failures: Int
        public var skipped: Int
        /// glusterd's word: "not started", "in progress", "completed", "stopped", "failed", …
        public var state: String
    }

    public var nodes: [Node]
    /// The aggregate row.
    public var total: Node

    /// Every node finished without failures.
    public var isCompleted: Bool { nodes.allSatisfy { $0.state == "completed" } && total.failures == 0 }
    /// A node stopped or failed: it will not finish on its own.
    public var hasFailed: Bool { nodes.contains { $0.state == "failed" || $0.state == "stopped" } }

    /// One progress line: `12 files (3.1 MiB) moved, 140 scanned, 0 failures: in progress`.
    public var line: String {
        "\(total.files) files (\(total.bytes) bytes) moved, \(total.scanned) scanned, \(total.failures) failures: \(nodes.map { "\($0.host) \($0.state)" }.joined(separator: ", "))"
    }
}
