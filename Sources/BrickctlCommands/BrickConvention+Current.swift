import BlockDevices
import Foundation

extension BrickConvention {
    /// The convention for this process: `/data/glusterfs` unless `BRICKCTL_MOUNT_ROOT` says otherwise.
    static var current: BrickConvention { .fromEnvironment(ProcessInfo.processInfo.environment) }
}
