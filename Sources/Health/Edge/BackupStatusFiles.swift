public import Foundation
public import Gluster
import Stack
import VolumePlugin

/// Reads the backup services' `status.json` files from the folder of the plugin's Docker volumes
/// on a Gluster volume (`/brickctl/volumes`): every `STACK_backups` directory there is a stack's
/// backups volume. Blocking (file or gfapi reads).
public enum BackupStatusFiles {
    /// Through a mount of the Gluster volume (the plugin's FUSE mount): `mountPoint/brickctl/volumes/*_backups/status.json`.
    public static func read(mountPoint: String) -> [BackupObservation] {
        let root = mountPoint + PluginVolume.glusterDataRoot
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap { name in
            guard let stack = BackupObservation.stack(ofVolume: name) else { return nil }
            let file = "\(root)/\(name)/\(BackupStatus.file)"
            return observation(stack: stack, data: FileManager.default.contents(atPath: file), source: file)
        }
    }

    /// Through gfapi (`glfs_opendir`/`glfs_read`): the same files on the volume `handle` opened.
    /// Empty when the volume has no plugin volumes folder.
    public static func read(handle: GlusterVolumeHandle) -> [BackupObservation] {
        let root = PluginVolume.glusterDataRoot
        guard let names = try? handle.directoryNames(root) else { return [] }
        return names.sorted().compactMap { name in
            guard let stack = BackupObservation.stack(ofVolume: name) else { return nil }
            let path = "\(root)/\(name)/\(BackupStatus.file)"
            return observation(
                stack: stack, data: try? handle.readFile(path, limit: 1 << 20),
                source: "gfapi \(handle.volume):\(path)")
        }
    }

    /// One stack's backup as its status file says; a missing or unreadable file is a backup
    /// service known (its volume exists) with no good dump yet.
    public static func observation(stack: String, data: Data?, source: String) -> BackupObservation {
        guard let data, let status = try? JSONDecoder().decode(BackupStatus.self, from: data) else {
            return BackupObservation(stack: stack, newestGoodDump: nil, source: source)
        }
        return BackupObservation(stack: stack, status: status, source: source)
    }
}
