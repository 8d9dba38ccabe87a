public import BlockDevices
import Foundation
import HostIO

/// A folder of a Gluster volume mounted with the FUSE client at a fixed place of brickctl's
/// (`mount -t glusterfs SERVER:/VOLUME/FOLDER MOUNTPOINT`), for as long as a backup or restore
/// reads it; unmounted by its mount point.
public struct GlusterFolderMount: Sendable {
    public var source: String
    public var mountPoint: String

    /// The folder of a brickctl volume plugin's volume `name` on Gluster volume `volume`.
    public static func pluginVolume(_ name: String) -> String { "/brickctl/volumes/\(name)" }

    /// Mounts `server:/volume/folder` at `mountPoint` (made if missing); a mount left there by an
    /// earlier run that was killed is unmounted first.
    /// - Throws: `BackupError.mountFailed` with mount's message.
    public static func mount(
        server: String, volume: String, folder: String, at mountPoint: String, readOnly: Bool
    ) throws(BackupError) -> GlusterFolderMount {
        let source = "\(server):/\(volume)\(folder)"
        try? FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let stale = GlusterFolderMount(source: source, mountPoint: mountPoint)
        if stale.isMounted { stale.unmount() }
        var options = ["log-level=WARNING"]
        if readOnly { options.append("ro") }
        let out: Command.Output
        do {
            out = try Command("mount", ["-t", "glusterfs", "-o", options.joined(separator: ","), source, mountPoint])
                .run(timeout: 120)
        } catch {
            throw .mountFailed(source: source, message: "\(error)")
        }
        guard out.succeeded, stale.isMounted else {
            throw .mountFailed(source: source, message: out.message.isEmpty ? "not mounted" : out.message)
        }
        return stale
    }

    public var isMounted: Bool {
        // Foundation reads procfs files as empty (their size is 0): ProcFile reads to the end.
        let text = ProcFile.read("/proc/self/mountinfo") ?? ""
        return MountTable(mountinfo: text).mount(at: mountPoint) != nil
    }

    /// Unmounts it (lazily when busy), best effort.
    public func unmount() {
        if (try? Command("umount", [mountPoint]).run(timeout: 60))?.succeeded != true {
            _ = try? Command("umount", ["-l", mountPoint]).run(timeout: 30)
        }
    }
}
