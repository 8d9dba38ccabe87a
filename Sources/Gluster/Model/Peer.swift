public import HostIO

/// One glusterd of the trusted storage pool, as `gluster pool list` / `peer status` report it.
public struct Peer: Hashable, Sendable, Codable {
    /// glusterd's UUID (`/var/lib/glusterd/glusterd.info`).
    public var uuid: String
    /// The name the pool knows the peer by; `localhost` for the local node in `pool list`.
    public var hostname: String
    /// Further names or addresses the peer was probed by (`hostnames` minus `hostname`).
    public var otherHostnames: [String] = []
    /// Whether this glusterd currently has a connection to the peer's glusterd.
    public var connected: Bool
    /// glusterd's state text, e.g. "Peer in Cluster", "Accepted peer request", "Peer Rejected";
    /// nil for the local node (glusterd reports none for itself).
    @NullWhenAbsent public var state: String?
    /// The local node (the entry `pool list` adds for this host).
    public var isSelf: Bool = false

    /// Every name the peer answers to.
    public var hostnames: [String] { [hostname] + otherHostnames }

    /// A full member: the local node, or a peer in state "Peer in Cluster".
    public var isInCluster: Bool { isSelf || state == "Peer in Cluster" }
}
