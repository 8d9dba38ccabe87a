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

    public struct LabelChange: Equatable, Sendable {
        public var node: String
        public var label: String
        public init(node: String, label: String) {
            self.node = node
            self.label = label
        }
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

        public init(
            nodes: [SwarmNode], nodesWithVolumePlugin: Set<String>, databaseRunningOn: [String],
            requestedNode: String?, force: Bool, wordpressReplicas: Int
        ) {
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
    }

    /// - Throws: `Refusal`.
    public static func decide(_ facts: Facts) throws(Refusal) -> RestorePlan {
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
            wordpressReplicas: facts.wordpressReplicas, notes: [])
        if let running = facts.databaseRunningOn.first { plan.notes.append(.replacesRunningDatabase(node: running)) }
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
