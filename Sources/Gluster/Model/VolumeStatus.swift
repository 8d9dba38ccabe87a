public import HostIO

/// Which processes of a started volume run, as `gluster volume status NAME` reports them.
///
/// Bricks whose glusterd is unreachable are missing: glusterd reports only what it can ask.
public struct VolumeStatus: Hashable, Sendable, Codable {
    /// A brick process (glusterfsd).
    public struct Brick: Hashable, Sendable, Codable {
        public var address: BrickAddress
        /// UUID of the glusterd that owns the brick.
        public var hostUUID: String
        public var online: Bool
        /// The TCP port clients connect to; nil when offline.
        @NullWhenAbsent public var port: Int? = nil
        /// The glusterfsd process id on its host; nil when offline.
        @NullWhenAbsent public var pid: Int? = nil
        /// Filesystem figures, only from `gluster volume status NAME detail`.
        @NullWhenAbsent public var disk: Disk? = nil

        enum CodingKeys: String, CodingKey {
            case address
            case hostUUID = "hostUuid"
            case online
            case port
            case pid
            case disk
        }
    }

    /// The filesystem under a brick (`volume status NAME detail`).
    public struct Disk: Hashable, Sendable, Codable {
        public var device: String
        public var filesystem: String
        public var mountOptions: String
        public var blockSize: Int
        public var bytesTotal: UInt64
        public var bytesFree: UInt64
        public var inodesTotal: UInt64
        public var inodesFree: UInt64
    }

    /// The self-heal daemon (glustershd) of one host; one serves every replicated volume there.
    public struct SelfHealDaemon: Hashable, Sendable, Codable {
        /// The host as glusterd names it: `localhost` for the node that answered.
        public var host: String
        public var hostUUID: String
        public var online: Bool
        @NullWhenAbsent public var pid: Int? = nil

        enum CodingKeys: String, CodingKey {
            case host
            case hostUUID = "hostUuid"
            case online
            case pid
        }
    }

    public var name: String
    public var bricks: [Brick]
    /// Empty for `detail` (glusterd leaves daemons out there) and for volumes without replication.
    public var selfHealDaemons: [SelfHealDaemon] = []

    /// The status of one brick; nil when glusterd did not report it.
    public func brick(_ address: BrickAddress) -> Brick? {
        bricks.first { $0.address == address }
    }

    /// The verdict for this volume: see `VolumeHealth.assess`.
    public func health(of volume: VolumeInfo, heal: HealInfo? = nil) -> VolumeHealth {
        VolumeHealth.assess(volume: volume, status: self, heal: heal)
    }
}
