import Foundation
import HostIO

/// A FUSE client of `server:/volume` on a scratch folder, for one job of `ReplicaReader` or
/// `SymlinkRelinker`: started as `glusterfs` itself (mount.glusterfs passes one xlator-option
/// only), waited for until the kernel shows it, then unmounted and its folder removed.
///
/// Runs `glusterfs` (the FUSE client) and `umount` (argv, each with a deadline).
struct ScratchClientMount {
    var server: String
    var volume: String
    var mountPoint: String
    /// Options before the usual ones, e.g. `--xlator-option=…`.
    var options: [String] = []

    /// The client's own output; it daemonizes, so its output goes to a file, not to a pipe it
    /// would keep open.
    private var output: String { mountPoint + ".out" }

    /// Mounts the volume at `mountPoint`; nothing is left behind when it fails.
    /// - Throws: `ReplicaReaderError`: `failed` words a client that exits non-zero (its status and
    ///   output), `notMounted` one that does not show within 30 s.
    func mount(failed: (Int32, String) -> String, notMounted: String) throws {
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        do {
            let client = try Command(
                "glusterfs",
                options + [
                    "--process-name", "fuse", "--volfile-server=\(server)", "--volfile-id=/\(volume)", mountPoint,
                ]
            ).spawn(stdout: .file(output), stderr: .file(output))
            let status = try client.wait(timeout: 60)
            guard status == 0 else {
                let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                throw ReplicaReaderError(failed(status, said))
            }
            let mounted = monotonicSeconds() + 30
            while MountCheck.fsType(at: mountPoint) != "fuse.glusterfs" {
                guard monotonicSeconds() < mounted else { throw ReplicaReaderError(notMounted) }
                Thread.sleep(forTimeInterval: 0.05)
            }
        } catch {
            removeScratch()
            throw error
        }
    }

    /// Unmounts and removes the mount point and the client's output.
    func unmount() {
        _ = try? Command("umount", [mountPoint]).run(timeout: 60)
        removeScratch()
    }

    private func removeScratch() {
        try? FileManager.default.removeItem(atPath: output)
        try? FileManager.default.removeItem(atPath: mountPoint)
    }
}
