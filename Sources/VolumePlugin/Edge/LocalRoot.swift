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
            "give it a disk of its own, prepared as a brick (label db1, say), and set \"localRoot\": \"/data/glusterfs/db1\" in \(PluginConfiguration.defaultPath)"
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
                    "the local root \(path) is on \(mount.source) (\(mount.fsType)), which is not a prepared brick disk: \(hint)"
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

    /// Makes the directory of local volume `volume` (idempotent), with its mode and owner.
    /// - Throws: `PluginError`: `local-root-not-prepared` (see `verified`), `conflict` when a file
    ///   of that name is there, `io`; Foundation's error when the directory cannot be made.
    func makeDirectory(of volume: PluginVolume) throws {
        let path = "\(try verified())/\(volume.name)"
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        } else if !isDirectory.boolValue {
            throw PluginError(.conflict, "\(path) exists and is not a directory: move it away or use another name")
        }
        try Self.own(path, volume)
    }

    /// The directory of local volume `name`, which must exist.
    /// - Throws: `PluginError` (`not-found`) when it was deleted, or see `verified`.
    func directory(of name: String) throws(PluginError) -> String {
        let path = "\(try verified())/\(name)"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PluginError(
                .notFound,
                "\(path) is missing: the local volume's directory was deleted; remove the volume and create it again")
        }
        return path
    }

    private static func own(_ path: String, _ volume: PluginVolume) throws(PluginError) {
        if chmod(path, mode_t(volume.mode)) != 0 {
            throw PluginError(
                .io, "cannot set mode \(String(volume.mode, radix: 8)) on \(path)", because: .errno(errno))
        }
        if volume.uid != nil || volume.gid != nil,
            chown(path, volume.uid ?? UInt32.max, volume.gid ?? UInt32.max) != 0
        {
            throw PluginError(
                .io,
                "cannot give \(path) to \(volume.uid.map(String.init) ?? "-"):\(volume.gid.map(String.init) ?? "-")",
                because: .errno(errno))
        }
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
