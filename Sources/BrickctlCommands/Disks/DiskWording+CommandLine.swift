import BlockDevices
import DiskPreparation

extension Availability.Reason {
    /// The reason as `brickctl disks` shows it: a brick in fstab but not mounted names the command
    /// that mounts it.
    func commandLineMessage(for device: BlockDevice) -> String {
        guard code == .brick, let brick = device.brick, brick.mountPoint == nil, brick.fstabMountPoint != nil else {
            return message
        }
        return message + "; run `brickctl bricks activate`"
    }
}

extension DeviceLookupError: CommandLineWorded {
    var commandLineText: String {
        switch self {
        case .notFound: return description + "; run `brickctl disks` to list the block devices"
        case .notBlockDevice: return description + " (see `brickctl disks`)"
        case .unknownToKernel: return description + ": run `brickctl disks` to list the real ones"
        }
    }
}

extension PrepareError: CommandLineWorded {
    /// A target that is not a brick points at the listing of the disks.
    var commandLineText: String {
        code == .notABrick ? description + "; see `brickctl disks`" : description
    }
}
