/// A volume's definition, as `gluster volume info` reports it.
public struct VolumeInfo: Hashable, Sendable, Codable {
    /// glusterd's volume state. Only `started` volumes serve clients.
    public enum Status: String, Hashable, Sendable, Codable {
        case created
        case started
        case stopped
    }

    /// One brick in `gluster volume create` order: replica sets are consecutive runs of
    /// `setSize` bricks.
    public struct Brick: Hashable, Sendable, Codable {
        public var address: BrickAddress
        /// A metadata-only arbiter brick (the last brick of each set of an arbiter volume).
        public var isArbiter: Bool = false
        /// UUID of the glusterd that owns the brick (a `Peer.uuid`).
        public var hostUUID: String

        enum CodingKeys: String, CodingKey {
            case address
            case isArbiter
            case hostUUID = "hostUuid"
        }
    }

    /// A reconfigured option (`gluster volume set`), in glusterd's order.
    public struct Option: Hashable, Sendable, Codable {
        public var key: String
        public var value: String
    }

    public var name: String
    /// The volume's UUID (`trusted.glusterfs.volume-id` on every brick).
    public var id: String
    public var status: Status
    /// glusterd's type text: "Distribute", "Replicate", "Distributed-Replicate", "Disperse", …
    public var type: String
    public var brickCount: Int
    /// Bricks per replica set, the arbiter included (`replica 3 arbiter 1` reports 3); 1 if not
    /// replicated.
    public var replicaCount: Int = 1
    /// Arbiter bricks per replica set (0 or 1).
    public var arbiterCount: Int = 0
    /// Number of distribute subvolumes (replica or disperse sets, or single bricks).
    public var distributeCount: Int = 1
    /// Bricks per disperse set; 0 if not dispersed.
    public var disperseCount: Int = 0
    /// Bricks of a disperse set that may fail; 0 if not dispersed.
    public var redundancyCount: Int = 0
    /// "tcp", "rdma" or "tcp,rdma".
    public var transport: String = "tcp"
    public var bricks: [Brick]
    public var options: [Option] = []

    /// The value of a reconfigured option; nil when it has its default.
    public func option(_ key: String) -> String? {
        options.last { $0.key == key }?.value
    }

    /// Bricks per set that holds one copy of the data: the replica set (arbiter included), the
    /// disperse set, or 1 for a plain distribute volume.
    public var setSize: Int {
        if disperseCount > 0 { return disperseCount }
        return max(replicaCount, 1)
    }

    /// The bricks grouped into their replica (or disperse) sets.
    public var sets: [[Brick]] {
        let size = setSize
        return stride(from: 0, to: bricks.count, by: size).map { Array(bricks[$0..<min($0 + size, bricks.count)]) }
    }
}
