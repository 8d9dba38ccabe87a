public import HostIO

/// Where and how brickctl lays out a brick, so that `disks` recognises what `prepare` made and every
/// host of a pool uses the same paths.
///
/// A prepared disk holds a GPT with one partition named `brickctl-brick`, an XFS filesystem labelled
/// `brickN`, mounted at `/data/glusterfs/brickN`, with the brick directory `brick` inside the mount.
public struct BrickConvention: Sendable, Hashable {
    /// The GPT partition name (PARTLABEL) that marks a brickctl brick.
    public var partitionName: String
    /// Where brick filesystems are mounted, one folder per label.
    public var mountRoot: String
    /// The directory inside the mount that Gluster uses as (the parent of) bricks.
    public var brickDirectoryName: String
    /// Where the brick partition starts (1 MiB, aligned for every sector size). Discovery also
    /// probes here: an old filesystem at this offset survives when only a table is wiped.
    public var partitionStart: UInt64 = 1 << 20

    public init(
        partitionName: String = "brickctl-brick", mountRoot: String = "/data/glusterfs",
        brickDirectoryName: String = "brick"
    ) {
        self.partitionName = partitionName
        self.mountRoot = mountRoot
        self.brickDirectoryName = brickDirectoryName
    }

    public static let standard = BrickConvention()

    /// The standard convention, with the mount root taken from `BRICKCTL_MOUNT_ROOT` when set.
    public static func fromEnvironment(_ environment: [String: String]) -> BrickConvention {
        var convention = BrickConvention.standard
        if let root = environment["BRICKCTL_MOUNT_ROOT"], root.hasPrefix("/") { convention.mountRoot = root }
        return convention
    }

    public func mountPoint(label: String) -> String { "\(mountRoot)/\(label)" }

    public func brickDirectory(mountPoint: String) -> String { "\(mountPoint)/\(brickDirectoryName)" }

    /// The default label for the n-th brick of a host: `brick1`, `brick2`, ...
    public static func label(number: Int) -> String { "brick\(number)" }
}

/// A disk that `brickctl prepare` turned into a brick.
public struct Brick: Hashable, Sendable, Codable {
    /// The partition's device path when the kernel has a node for it.
    @NullWhenAbsent public var partition: String? = nil
    public var partitionNumber: Int
    @NullWhenAbsent public var label: String? = nil
    @NullWhenAbsent public var uuid: String? = nil
    /// Where it is mounted now (mountinfo), if it is.
    @NullWhenAbsent public var mountPoint: String? = nil
    /// Where /etc/fstab mounts it, if listed.
    @NullWhenAbsent public var fstabMountPoint: String? = nil
    /// `mountPoint/brick` when the filesystem is mounted.
    @NullWhenAbsent public var brickDirectory: String? = nil
}
