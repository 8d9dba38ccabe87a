internal import CLinux
import Foundation
import Glibc
import HostIO

/// Whether a brick's filesystem still belongs to a Gluster volume.
///
/// Two witnesses: the `trusted.glusterfs.volume-id` extended attribute glusterd sets on every brick
/// directory (readable without glusterd), and glusterd itself (`gluster volume info --xml`) when it
/// runs. The corresponding C function is `getxattr`.
public struct GlusterMembership: Sendable {
    public init() {}

    /// Directories under `mountPoint` that carry a Gluster volume id: the mount itself, the brick
    /// directory and its immediate subdirectories (per-volume bricks).
    public func markedDirectories(under mountPoint: String, brickDirectory: String) -> [String] {
        var candidates = [mountPoint, brickDirectory]
        for child in (try? FileManager.default.contentsOfDirectory(atPath: brickDirectory)) ?? [] {
            candidates.append("\(brickDirectory)/\(child)")
        }
        return candidates.filter { hasVolumeID($0) }
    }

    /// Volumes glusterd knows with a brick inside `mountPoint`, or nil when glusterd does not answer.
    public func volumes(usingPathsUnder mountPoint: String) -> [String]? {
        // Only ask a glusterd that runs: the CLI otherwise waits for a timeout and writes logs.
        guard ["/run/glusterd.socket", "/var/run/glusterd.socket"].contains(where: { FileManager.default.fileExists(atPath: $0) })
        else { return nil }
        guard let output = try? Command("gluster", ["--mode=script", "--xml", "volume", "info"]).run(),
            output.succeeded, output.stdout.contains("<opRet>0</opRet>")
        else { return nil }
        var result: [String] = []
        var currentVolume: String?
        for line in output.stdout.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("<name>"), !text.contains(":") {
                currentVolume = String(text.dropFirst(6).prefix { $0 != "<" })
            }
            if text.hasPrefix("<name>"), let colon = text.firstIndex(of: ":") {
                let path = String(text[text.index(after: colon)...].prefix { $0 != "<" })
                if path == mountPoint || path.hasPrefix(mountPoint + "/"), let volume = currentVolume, !result.contains(volume) {
                    result.append(volume)
                }
            }
        }
        return result
    }

    private func hasVolumeID(_ path: String) -> Bool {
        brickctl_xattr_size(path, "trusted.glusterfs.volume-id") > 0
    }
}
