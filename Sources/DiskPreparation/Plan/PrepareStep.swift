import BlockDevices
import Fstab

/// One step of `brickctl prepare`, in the order they run.
public enum PrepareStep: Hashable, Sendable, CustomStringConvertible {
    /// Erase every signature libblkid finds: partitions' contents, the table, the disk, the 1 MiB range.
    case wipeSignatures
    /// Delete partitions the kernel has for this disk (stale or about to be replaced), by BLKPG.
    case removeKernelPartitions([String])
    /// Write a GPT with one partition from 1 MiB to the end, named `brickctl-brick`, type Linux filesystem.
    case writePartitionTable(partitionName: String)
    /// Tell the kernel about the partition (BLKPG) and wait until sysfs and /dev agree with the disk.
    case addKernelPartition
    /// Erase any signature inside the partition's range (an old filesystem would otherwise come back).
    case clearPartition
    /// `mkfs.xfs -i size=512 -n size=8192 -L label` on the partition; `force` adds `-f` (only with --wipe).
    case makeFilesystem(label: String, force: Bool)
    /// Add the fstab line, by UUID.
    case addFstabEntry(mountPoint: String, options: [String])
    case createMountPoint(String)
    case mount(String)
    case createBrickDirectory(String)

    public var description: String {
        switch self {
        case .wipeSignatures:
            return "erase every existing signature (partition table, filesystems, the old one at 1 MiB)"
        case .removeKernelPartitions(let names):
            return "remove the kernel's partitions \(names.joined(separator: ", "))"
        case .writePartitionTable(let name):
            return "write a GPT with one partition \"\(name)\" from 1 MiB to the end (type Linux filesystem)"
        case .addKernelPartition:
            return "tell the kernel about partition 1 (BLKPG) and wait for its node"
        case .clearPartition:
            return "erase signatures inside the new partition"
        case .makeFilesystem(let label, let force):
            return "mkfs.xfs -i size=512 -n size=8192 -L \(label)\(force ? " -f" : "") on the partition"
        case .addFstabEntry(let mountPoint, let options):
            return "add to fstab: UUID=<new filesystem> \(mountPoint) xfs \(options.joined(separator: ",")) 0 0"
        case .createMountPoint(let path):
            return "create mount point \(path)"
        case .mount(let path):
            return "mount \(path) (from fstab)"
        case .createBrickDirectory(let path):
            return "create brick directory \(path)"
        }
    }

    /// A short name for progress lines and JSON.
    public var name: String {
        switch self {
        case .wipeSignatures: return "wipe"
        case .removeKernelPartitions: return "remove-kernel-partitions"
        case .writePartitionTable: return "partition"
        case .addKernelPartition: return "add-kernel-partition"
        case .clearPartition: return "clear-partition"
        case .makeFilesystem: return "mkfs"
        case .addFstabEntry: return "fstab"
        case .createMountPoint: return "mkdir-mount-point"
        case .mount: return "mount"
        case .createBrickDirectory: return "mkdir-brick"
        }
    }
}

/// The fstab options of a brick: Gluster's advice (inode64, noatime) plus `nofail`, so a missing
/// disk does not stop the host from booting.
public let brickMountOptions = ["rw", "inode64", "noatime", "nofail"]
