public import BlockDevices

/// Why `prepare` will not touch a disk: what is in the way (typed), the reasons in words, and what
/// to do about it.
///
/// `obstacle` is for front ends that phrase their own advice (a Docker user cannot pass `--wipe`);
/// `message`, `hint` and `description` name no command-line option: the command line words its
/// own advice (BrickctlCommands' `PrepareRefusal+CommandLine.swift`).
public struct PrepareRefusal: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is in the way.
    public enum Obstacle: Hashable, Sendable {
        /// The device is a partition, not a whole disk.
        case partition
        /// Something no option overrides: mounted, swap, the root filesystem, busy, read-only,
        /// too small... (the availability codes that block).
        case unavailable(Set<Availability.Reason.Code>)
        /// Signatures (filesystem, partition table, ...) that wiping would destroy.
        case wipeableSignatures(count: Int)
        /// The disk's brickctl partition holds something else than XFS: data wiping would destroy.
        case holdsData
        /// The disk is already a brick under another label.
        case alreadyBrick(label: String)
        /// The disk is already set up at another mount point.
        case alreadySetUp(mountPoint: String)
        /// The brick is mounted at one place and fstab mounts it at another.
        case mountedElsewhere
        /// The requested label breaks XFS's rules.
        case invalidLabel
        /// Every `brickN` label is taken.
        case noFreeLabel
        /// The mount point is not an absolute path below /.
        case mountPointNotAbsolute
        /// The mount point is inside a system folder.
        case mountPointInSystemFolder
        /// fstab or the mount table already uses the mount point.
        case mountPointTaken
        /// The mount point exists and is not an empty folder.
        case mountPointNotEmpty
    }

    public var device: String
    public var obstacle: Obstacle
    public var reasons: [String]
    /// What to do, when it can be said without naming a command-line option.
    public var hint: String?

    /// `refusing DEVICE: REASON; REASON`, without advice.
    public var message: String {
        "refusing \(device): \(reasons.joined(separator: "; "))"
    }

    /// The message and, when there is one, the hint.
    public var description: String {
        message + (hint.map { "; \($0)" } ?? "")
    }
}
