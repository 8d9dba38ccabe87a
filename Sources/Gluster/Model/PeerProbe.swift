/// What `gluster peer probe HOST` did.
public struct PeerProbe: Hashable, Sendable, Codable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        /// The host joined the pool.
        case added
        /// The host was a member already (glusterd may have recorded HOST as another name of it).
        case alreadyInPool = "already-in-pool"
        /// HOST is this node.
        case localHost = "local-host"
    }

    public var host: String
    public var outcome: Outcome

    /// The pool changed.
    public var isNew: Bool { outcome == .added }
}
