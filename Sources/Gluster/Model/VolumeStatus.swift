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
        @NullWhenAbsent public var port: Int?
        /// The glusterfsd process id on its host; nil when offline.
        @NullWhenAbsent public var pid: Int?
        /// Filesystem figures, only from `gluster volume status NAME detail`.
        @NullWhenAbsent public var disk: Disk?

        public init(
            address: BrickAddress, hostUUID: String, online: Bool, port: Int? = nil, pid: Int? = nil, disk: Disk? = nil
        ) {
            self.address = address
            self.hostUUID = hostUUID
            self.online = online
            self.port = port
            self.pid = pid
            self.disk = disk
        }

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

        public init(
            device: String, filesystem: String, mountOptions: String, blockSize: Int, bytesTotal: UInt64,
            bytesFree: UInt64,
            inodesTotal: UInt64, inodesFree: UInt64
        ) {
            self.device = device
            self.filesystem = filesystem
            self.mountOptions = mountOptions
            self.blockSize = blockSize
            self.bytesTotal = bytesTotal
            self.bytesFree = bytesFree
            self.inodesTotal = inodesTotal
            self.inodesFree = inodesFree
        }
    }

    /// The self-heal daemon (glustershd) of one host; one serves every replicated volume there.
    public struct SelfHealDaemon: Hashable, Sendable, Codable {
        /// The host as glusterd names it: `localhost` for the node that answered.
        public var host: String
        public var hostUUID: String
        public var online: Bool
        @NullWhenAbsent public var pid: Int?

        public init(host: String, hostUUID: String, online: Bool, pid: Int? = nil) {
            self.host = host
            self.hostUUID = hostUUID
            self.online = online
            self.pid = pid
        }

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
    public var selfHealDaemons: [SelfHealDaemon]

    public init(name: String, bricks: [Brick], selfHealDaemons: [SelfHealDaemon] = []) {
        self.name = name
        self.bricks = bricks
        self.selfHealDaemons = selfHealDaemons
    }

    /// The status of one brick; nil when glusterd did not report it.
    public func brick(_ address: BrickAddress) -> Brick? {
        bricks.first { $0.address == address }
    }

    /// The verdict for this volume: see `VolumeHealth.assess`.
    public func health(of volume: VolumeInfo, heal: HealInfo? = nil) -> VolumeHealth {
        VolumeHealth.assess(volume: volume, status: self, heal: heal)
    }
}
