public import BlockDevices

/// What the user asked `brickctl prepare` to do.
public struct PrepareRequest: Sendable {
    public var device: String
    /// The XFS label; nil = the first free `brickN`.
    public var label: String?
    /// Where to mount; nil = `<mount root>/<label>`.
    public var mountPoint: String?
    /// Destroy existing signatures (filesystem, partition table, old filesystem at 1 MiB).
    public var wipe: Bool
    public var convention: BrickConvention

    public init(
        device: String, label: String? = nil, mountPoint: String? = nil, wipe: Bool = false,
        convention: BrickConvention = .standard
    ) {
        self.device = device
        self.label = label
        self.mountPoint = mountPoint
        self.wipe = wipe
        self.convention = convention
    }
}

/// What the planner needs to know about the host besides the disk itself.
public struct HostFacts: Sendable {
    /// Filesystem labels used by other devices of this host.
    public var labelsInUse: Set<String> = []
    /// Mount points in use now (mountinfo), with what is mounted there.
    public var mountedPaths: [String: String] = [:]
    /// fstab entries: mount point → spec.
    public var fstabMountPoints: [String: String] = [:]
    /// Paths that exist and are not empty directories (files, or directories with content).
    public var occupiedPaths: Set<String> = []
    /// Brick directories that exist.
    public var existingDirectories: Set<String> = []
}
