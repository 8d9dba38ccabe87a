internal import CLinux
import Foundation
import Glibc
import Gluster

/// Whether a brick's filesystem still belongs to a Gluster volume.
///
/// Two witnesses: the `trusted.glusterfs.volume-id` extended attribute glusterd sets on every brick
/// directory (readable without glusterd), and glusterd itself (`GlusterCLI.volumesUsing`) when it
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

    /// Volumes glusterd knows with a brick at or inside `mountPoint` (on any host), or nil when
    /// glusterd does not run or does not answer.
    public func volumes(usingPathsUnder mountPoint: String) async -> [String]? {
        guard LocalGlusterd.isRunning else { return nil }
        return try? await GlusterCLI().volumesUsing(path: mountPoint, includingSubpaths: true)
    }

    private func hasVolumeID(_ path: String) -> Bool {
        brickctl_xattr_size(path, "trusted.glusterfs.volume-id") > 0
    }
}
