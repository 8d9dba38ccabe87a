import BlockDevices
import Foundation
import Glibc
import HostIO
import Synchronization

/// The folder for `type=local` volumes, checked to be on a disk `brickctl prepare` made — never a
/// fallback onto the root disk.
final class LocalRoot: Sendable {
    let path: String?
    /// Device numbers already proven to be brickctl disks (the libblkid probe runs once).
    private let proven = Mutex<Set<DeviceNumber>>([])

    init(path: String?) {
        self.path = path
    }

    /// The local root, checked; blocking (libblkid probe the first time).
    /// - Throws: `PluginError` (`local-root-not-prepared`) with the commands to run.
    func verified() throws(PluginError) -> String {
        let hint =
            "prepare a disk for it (`brickctl prepare /dev/vdc --label db1`) and start the plugin with --local-root /data/glusterfs/db1"
        guard let path, path.hasPrefix("/") else {
            throw PluginError(.localRootNotPrepared, "this plugin has no local root for type=local volumes: \(hint)")
        }
        let table = MountTable.current()
        let mount = table.mounts.filter { m in
            m.mountPoint == "/" || path == m.mountPoint
                || path.hasPrefix(m.mountPoint.hasSuffix("/") ? m.mountPoint : m.mountPoint + "/")
        }.max { $0.mountPoint.count < $1.mountPoint.count }
        guard let mount, mount.mountPoint != "/" else {
            throw PluginError(
                .localRootNotPrepared,
                "the local root \(path) is not on a mounted disk (it would land on the root filesystem): \(hint)")
        }
        if mount.device == table.rootDevice {
            throw PluginError(.localRootNotPrepared, "the local root \(path) is on the root disk: \(hint)")
        }
        if !proven.withLock({ $0.contains(mount.device) }) {
            guard mount.fsType == "xfs", let disk = Self.parentDisk(of: mount.device),
                let device = try? DeviceInventory().device(at: "/dev/\(disk)"), device.brick != nil
            else {
                throw PluginError(
                    .localRootNotPrepared,
                    "the local root \(path) is on \(mount.source) (\(mount.fsType)), which `brickctl prepare` did not make: \(hint)"
                )
            }
            proven.withLock { _ = $0.insert(mount.device) }
        }
        var st = stat()
        if stat(path, &st) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw PluginError(.io, "cannot make the local root \(path)", cause: "\(error)")
            }
        }
        return path
    }

    /// The whole disk a partition belongs to, from sysfs (`/sys/dev/block/MAJ:MIN` → `…/loop3/loop3p1`).
    static func parentDisk(of number: DeviceNumber) -> String? {
        let link = "/sys/dev/block/\(number.major):\(number.minor)"
        guard FileManager.default.fileExists(atPath: "\(link)/partition"),
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link)
        else { return nil }
        let parts = target.split(separator: "/")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : nil
    }
}
