import BlockDevices
import Foundation
import HostIO

/// `brickctl bricks activate`: brings every brick listed in fstab back after a boot.
///
/// A kernel without partition parsers does not recreate the brick partition at boot, so the fstab
/// mount has no device. For every brickctl disk whose filesystem fstab lists, this runs prepare's
/// own resume (re-add the partition with BLKPG, mount from fstab, brick directory) — never mkfs,
/// never a new fstab line: bricks that were released stay released.
public struct BrickActivation: Sendable {
    public var preparer: Preparer

    public init(preparer: Preparer) {
        self.preparer = preparer
    }

    public struct Result: Sendable {
        public var device: String
        public var mountPoint: String?
        public var steps: [String]
        /// Why the brick could not be activated (a `PrepareRefusal`, `PrepareError`, ...), kept typed.
        public var error: (any Error)?
    }

    public func activateAll() -> [Result] {
        preparer.inventory.scan().compactMap { disk -> Result? in
            guard let brick = disk.brick else { return nil }
            guard let mountPoint = brick.fstabMountPoint else {
                return Result(device: disk.path, mountPoint: nil, steps: [], error: nil)
            }
            do {
                let outcome = try preparer.run(
                    PrepareRequest(device: disk.path, convention: preparer.inventory.convention))
                return Result(
                    device: disk.path, mountPoint: mountPoint, steps: outcome.steps.map(\.step.name), error: nil)
            } catch {
                return Result(device: disk.path, mountPoint: mountPoint, steps: [], error: error)
            }
        }
    }
}
