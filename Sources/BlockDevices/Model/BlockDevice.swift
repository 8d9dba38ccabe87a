/// Everything brickctl observed about one block device: sysfs, libblkid, mountinfo, swaps, fstab.
///
/// A plain value: the verdict (`Availability`) is computed from it by `AvailabilityRules`, so the
/// rules can be tested without root on hand-made states.
public struct BlockDevice: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case disk, partition, loop, ram, zram, dm, md, rom
    }

    /// Whether an exclusive open (`O_EXCL`) of the device worked.
    public enum ExclusiveOpen: Hashable, Sendable, Codable {
        case succeeded
        /// EBUSY: something holds the device (a mount, swap, device mapper, mkfs, another brickctl).
        case busy
        /// Any other error: the device could not be opened at all.
        case failed(String)
        case notTried
    }

    public var path: String
    /// Kernel name: `vda`, `loop3`, `loop3p1`.
    public var name: String
    public var number: DeviceNumber
    public var kind: Kind
    public var size: UInt64
    public var logicalSectorSize: Int = 512
    public var physicalSectorSize: Int = 512
    public var rotational: Bool = false
    public var removable: Bool = false
    public var readOnly: Bool = false
    public var model: String?
    public var serial: String?
    /// For loop devices: the file behind it.
    public var backingFile: String?
    /// For partitions: the kernel name of the disk and the partition number.
    public var parent: String?
    public var partitionNumber: Int?

    /// The partition table on the device (libblkid), if any.
    public var partitionTable: PartitionTable?
    /// The signature at the start of the device (libblkid superblock probe), if any.
    public var signature: Signature?
    /// libblkid found several signatures that contradict each other (`blkid_do_safeprobe` = -2).
    public var ambiguousSignature: Bool = false
    /// A signature where a new partition would start (1 MiB), found on a disk with no table:
    /// what survives when only a partition table was wiped.
    public var signatureAtPartitionStart: Signature?
    /// Why libblkid could not probe the device, when it could not.
    public var probeError: String?

    /// Where the device is mounted (mountinfo, matched by major:minor).
    public var mountPoints: [String] = []
    /// The device or a device stacked on it (holders) is mounted at `/`.
    public var holdsRootFilesystem: Bool = false
    /// Listed in /proc/swaps.
    public var swapInUse: Bool = false
    /// Kernel names of devices stacked on this one (`/sys/class/block/X/holders`).
    public var holders: [String] = []
    /// fstab lines that reference the device, by path, UUID=, LABEL=, PARTUUID= or PARTLABEL=.
    public var fstabReferences: [FstabReference] = []
    public var exclusiveOpen: ExclusiveOpen = .succeeded

    /// The kernel's partitions of this device (sysfs), each observed in full.
    public var partitions: [BlockDevice] = []
    /// Set when this disk is a brick made by `brickctl prepare`.
    public var brick: Brick?
}

/// One fstab line that names a device.
public struct FstabReference: Hashable, Sendable, Codable {
    /// The spec as written: `UUID=…`, `/dev/vdb1`, `LABEL=…`.
    public var spec: String
    public var mountPoint: String
    public var type: String
}
