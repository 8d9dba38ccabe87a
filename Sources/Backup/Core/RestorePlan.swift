public import Stack

/// What `brickctl stack restore` will do to the Swarm, decided from what it observed (pure):
/// where the database runs next, which labels move, how many WordPress replicas remain.
///
/// Rules: a database that still runs is never restored over unless forced; a new database node
/// must be in the Swarm, ready, and report the brickctl volume driver (its local volume holds the
/// data); WordPress never runs on the database node, so a WordPress node chosen as the new
/// database node loses its WordPress label and the stack runs fewer replicas when fewer
/// WordPress nodes remain.
public struct RestorePlan: Equatable, Sendable {
    public var databaseNode: String
    /// Labels to take off: (node, label).
    public var labelsToRemove: [LabelChange]
    public var labelsToAdd: [LabelChange]
    /// The WordPress replicas of the redeployed stack.
    public var wordpressReplicas: Int
    public var notes: [Note]
    /// The database's volume after the restore: a fresh one when forced (the old one is kept aside).
    public var databaseVolume: String

    public struct LabelChange: Equatable, Sendable {
        public var node: String
        public var label: String
    }

    public enum Note: Equatable, Sendable {
        /// The database label moves from `from` (nil: no node had it) to `to`.
        case databaseMoves(from: [String], to: String)
        /// `node` stops running WordPress (it becomes the database node).
        case wordpressLeaves(node: String)
        /// Fewer WordPress replicas than the stack asked for: only `remaining` WordPress nodes.
        case fewerReplicas(wanted: Int, remaining: Int)
        /// The database ran and is replaced (forced).
        case replacesRunningDatabase(node: String)
        /// Forced: the database starts on a fresh volume; the old data stays untouched in `volume`
        /// on `nodes` (never deleted by brickctl).
        case oldDataKeptAside(volume: String, nodes: [String])
    }

    /// The facts a plan is made from.
    public struct Facts: Equatable, Sendable {
        public var nodes: [SwarmNode]
        /// Nodes reporting the brickctl volume driver (`docker node inspect`'s Engine.Plugins).
        public var nodesWithVolumePlugin: Set<String>
        /// Nodes where a task of the stack's database service runs now.
        public var databaseRunningOn: [String]
        /// `--db-node`, nil: the node labelled database now.
        public var requestedNode: String?
        public var force: Bool
        /// The WordPress replicas of the stack file.
        public var wordpressReplicas: Int
        /// The database's volume now (the stack file's name for it).
        public var databaseVolume: String
        /// The time of the restore (YYYYMMDDTHHMMSSZ): names a fresh volume when forced.
        public var stamp: String

        public init(
            nodes: [SwarmNode], nodesWithVolumePlugin: Set<String>, databaseRunningOn: [String],
            requestedNode: String?, force: Bool, wordpressReplicas: Int, databaseVolume: String = "wp_db-data",
            stamp: String = "19700101T000000Z"
        ) {
            self.databaseVolume = databaseVolume
            self.stamp = stamp
            self.nodes = nodes
            self.nodesWithVolumePlugin = nodesWithVolumePlugin
            self.databaseRunningOn = databaseRunningOn
            self.requestedNode = requestedNode
            self.force = force
            self.wordpressReplicas = wordpressReplicas
        }
    }

    /// Why a restore is refused (the command layer words it, with the commands to run).
    public enum Refusal: Error, Equatable, Sendable {
        case databaseRunning(node: String)
        case noDatabaseNode
        case unknownNode(String)
        case nodeNotReady(String, state: String)
        case noVolumePlugin(String)
        case noWordPressNode
        /// The node's volume plugin cannot make the database's local volume there (no disk that
        /// `brickctl prepare` made under its --local-root): what the plugin said.
        case noPreparedDisk(String, detail: String)
    }

    /// The fresh volume of a forced restore: the current name without an earlier restore's stamp,
    /// plus this one's (`wp_db-data` → `wp_db-data-20261207T041500Z`).
    public static func freshVolume(current: String, stamp: String) -> String {
        var base = Substring(current)
        if let dash = base.lastIndex(of: "-") {
            let tail = Array(base[base.index(after: dash)...])
            let digits = tail.enumerated().allSatisfy { index, c in
                index == 8 ? c == "T" : index == 15 ? c == "Z" : c.isASCII && c.isNumber
            }
            if tail.count == 16 && digits { base = base[..<dash] }
        }
        return "\(base)-\(stamp)"
    }

    /// - Throws: `Refusal`.
    public static func decide(_ facts: Facts) throws(Refusal) -> RestorePlan {
        // A mistyped --db-node first: whatever else is refused, that needs fixing too.
        if let requested = facts.requestedNode,
            !facts.nodes.contains(where: { $0.hostname == requested || $0.id == requested })
        {
            throw .unknownNode(requested)
        }
        if let running = facts.databaseRunningOn.first, !facts.force {
            throw .databaseRunning(node: running)
        }
        let labelled = facts.nodes.filter(\.isDatabase).map(\.hostname).sorted()
        guard let target = facts.requestedNode ?? labelled.first else { throw .noDatabaseNode }
        guard let node = facts.nodes.first(where: { $0.hostname == target || $0.id == target }) else {
            throw .unknownNode(target)
        }
        guard node.isReady else { throw .nodeNotReady(node.hostname, state: node.state) }
        guard facts.nodesWithVolumePlugin.contains(node.hostname) else { throw .noVolumePlugin(node.hostname) }

        var plan = RestorePlan(
            databaseNode: node.hostname, labelsToRemove: [], labelsToAdd: [],
            wordpressReplicas: facts.wordpressReplicas, notes: [], databaseVolume: facts.databaseVolume)
        if let running = facts.databaseRunningOn.first { plan.notes.append(.replacesRunningDatabase(node: running)) }
        if facts.force {
            // Never over the old data: a fresh volume; the old one stays where it is, as it is.
            plan.databaseVolume = freshVolume(current: facts.databaseVolume, stamp: facts.stamp)
            let holders = Set(labelled + facts.databaseRunningOn).sorted()
            plan.notes.append(.oldDataKeptAside(volume: facts.databaseVolume, nodes: holders))
        }
        let others = labelled.filter { $0 != node.hostname }
        for other in others {
            plan.labelsToRemove.append(.init(node: other, label: WordPressStack.databaseLabel))
        }
        if !node.isDatabase {
            plan.labelsToAdd.append(.init(node: node.hostname, label: WordPressStack.databaseLabel))
            plan.notes.append(.databaseMoves(from: others, to: node.hostname))
        }
        if node.isWordPress {
            plan.labelsToRemove.append(.init(node: node.hostname, label: WordPressStack.wordpressLabel))
            plan.notes.append(.wordpressLeaves(node: node.hostname))
        }
        let wordpressNodes = facts.nodes.filter {
            $0.isWordPress && $0.hostname != node.hostname && $0.isReady && !others.contains($0.hostname)
        }
        guard !wordpressNodes.isEmpty else { throw .noWordPressNode }
        if wordpressNodes.count < facts.wordpressReplicas {
            plan.wordpressReplicas = wordpressNodes.count
            plan.notes.append(.fewerReplicas(wanted: facts.wordpressReplicas, remaining: wordpressNodes.count))
        }
        return plan
    }
}
