import BlockDevices
import Foundation
import Fstab
import Glibc
import HostIO

/// `brickctl release`: unmounts a brick and removes its fstab line; with `wipe`, erases it too.
///
/// Refuses while the brick belongs to a Gluster volume (its volume-id attribute, or glusterd's view).
public struct Releaser: Sendable {
    public var preparer: Preparer
    public var membership = GlusterMembership()

    public init(preparer: Preparer) {
        self.preparer = preparer
    }

    /// What release did.
    public struct Outcome: Sendable {
        public var device: String
        public var unmounted: String?
        public var fstabLinesRemoved: Int
        public var wiped: [String]
    }

    /// Finds the brick by disk, partition or mount point and releases it.
    ///
    /// - Throws: `PrepareError` (`.notABrick`, `.inUseByGluster`, `.mount`).
    public func release(_ target: String, wipe: Bool) async throws -> Outcome {
        let found = try findBrickDisk(target)
        guard found.brick != nil else {
            throw PrepareError(
                .notABrick,
                "\(target) is not a brickctl brick (no GPT partition named \(preparer.inventory.convention.partitionName) holding XFS)",
                advice: "see `brickctl disks`")
        }
        let lock = try FileLock(path: found.path, create: false, timeout: 10)
        defer { withExtendedLifetime(lock) {} }
        // Look again under the lock.
        let device = try findBrickDisk(target)
        guard let brick = device.brick else {
            throw PrepareError(.notABrick, "\(target) is no longer a brickctl brick")
        }
        let mountPoint = brick.mountPoint
        if let mountPoint {
            let brickDirectory = preparer.inventory.convention.brickDirectory(mountPoint: mountPoint)
            let marked = membership.markedDirectories(under: mountPoint, brickDirectory: brickDirectory)
            if !marked.isEmpty {
                throw PrepareError(
                    .inUseByGluster,
                    "refusing to release \(device.path): \(marked.joined(separator: ", ")) belong\(marked.count == 1 ? "s" : "") to a Gluster volume (trusted.glusterfs.volume-id)",
                    advice: "delete the volume first")
            }
        }
        for path in [mountPoint, brick.fstabMountPoint].compactMap({ $0 }) {
            if let volumes = await membership.volumes(usingPathsUnder: path), !volumes.isEmpty {
                throw PrepareError(
                    .inUseByGluster,
                    "refusing to release \(device.path): volume \(volumes.joined(separator: ", ")) has a brick under \(path)",
                    advice: "delete the volume first")
            }
        }

        var unmounted: String?
        if let mountPoint {
            let output = try Command("umount", [mountPoint]).run()
            guard output.succeeded else {
                throw PrepareError(
                    .mount, "cannot unmount \(mountPoint)", cause: .output(output.message),
                    advice: "stop what uses it (lsof +D \(mountPoint))")
            }
            unmounted = mountPoint
            rmdir(mountPoint)  // only if empty; harmless otherwise
        }
        var removed = 0
        if let uuid = brick.uuid?.lowercased() {
            let change = try preparer.fstab.update { file in
                removed = file.remove { $0.spec.lowercased() == "uuid=\(uuid)" }
            }
            _ = change
        }
        var wiped: [String] = []
        if wipe {
            let disk = try DeviceNode(path: device.path, writable: true, exclusive: true)
            wiped = try SignatureEraser.eraseAll(
                on: device, disk: disk, partitionStart: preparer.inventory.convention.partitionStart)
            for (number, _) in preparer.kernel.current(disk: device.name) {
                try preparer.kernel.remove(number: number, diskFD: disk.fileDescriptor, disk: device.name)
            }
        }
        return Outcome(device: device.path, unmounted: unmounted, fstabLinesRemoved: removed, wiped: wiped)
    }

    /// The disk behind a disk path, a partition path or a brick mount point.
    func findBrickDisk(_ target: String) throws -> BlockDevice {
        let inventory = preparer.inventory
        if DeviceNode.number(of: target) != nil {
            let device = try inventory.device(at: target)
            if device.kind == .partition, let parent = device.parent {
                return try inventory.device(at: "/dev/\(parent)")
            }
            return device
        }
        let path = normalize(target)
        if let disk = inventory.scan().first(where: {
            $0.brick?.mountPoint == path || $0.brick?.fstabMountPoint == path
        }) {
            return disk
        }
        throw PrepareError(
            .notABrick, "\(target) is neither a block device nor the mount point of a brickctl brick",
            advice: "see `brickctl disks`")
    }
}
