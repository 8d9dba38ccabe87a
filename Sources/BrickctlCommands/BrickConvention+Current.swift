import BlockDevices
import Foundation

extension BrickConvention {
    /// The convention for this process: `/data/glusterfs` unless `BRICKCTL_MOUNT_ROOT` says otherwise.
    static var current: BrickConvention { .fromEnvironment(ProcessInfo.processInfo.environment) }

    /// The brick directory of this host's first brick disk (`/data/glusterfs/brick1/brick`): the
    /// default `--brick-root`.
    static var firstBrickDirectory: String {
        let convention = current
        return convention.brickDirectory(mountPoint: convention.mountPoint(label: label(number: 1)))
    }
}
