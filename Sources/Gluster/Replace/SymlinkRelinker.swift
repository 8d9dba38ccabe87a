import Foundation
import HostIO

#if canImport(Glibc)
    import Glibc
#endif

/// The way out of a heal that never ends on glusterfs 10.x (gluster/glusterfs#4064, fixed in 11):
/// a symlink whose ownership or times changed while a copy was away (`chown -h`, a restore that
/// sets a link's owner) carries a pending metadata heal on the good copies, and the entry heal of
/// its directory then fails to create it on the copy that lacks it (`link … Stale file handle`
/// in glustershd.log) — for ever; the directory and the link stay in `heal info`.
///
/// Through a client (a FUSE mount of the volume), each such link is created anew beside itself
/// with the same target, owner and times, then renamed over the old one: every copy gets the new
/// link, the directories agree, and the heal finishes. Readers see the old link or the new one,
/// never none. Runs `glusterfs` (the FUSE client) and `umount` (argv, each with a deadline).
public struct SymlinkRelinker: Sendable {
    /// A host whose glusterd serves the volume file.
    public var server: String
    public var volume: String
    public var scratch: String

    public init(server: String, volume: String, scratch: String = "/run/brickctl/relink") {
        self.server = server
        self.volume = volume
        self.scratch = scratch
    }

    /// Re-creates each of `paths` (inside the volume, `/dir/link`) that is a symlink; other
    /// entries (files, directories, `<gfid:…>`) are left alone.
    /// - Returns: the paths re-created.
    /// - Throws: `ReplicaReaderError` when the mount fails or a link cannot be re-created.
    public func relink(_ paths: [String]) throws -> [String] {
        let mountPoint = "\(scratch)/\(volume)-\(getpid())"
        let client = ScratchClientMount(server: server, volume: volume, mountPoint: mountPoint)
        try client.mount(
            failed: { _, said in "mounting \(server):/\(volume) to re-create symlinks failed: \(said)" },
            notMounted: "\(server):/\(volume) did not mount at \(mountPoint) within 30 s")
        defer { client.unmount() }
        var done: [String] = []
        for path in Set(paths).sorted()
        where path.hasPrefix("/") && !path.split(separator: "/").contains("..") {
            let full = mountPoint + path
            var info = stat()
            guard lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { continue }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(full, &buffer, buffer.count - 1)
            guard length >= 0 else { continue }
            let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let directory = (full as NSString).deletingLastPathComponent
            let name = (full as NSString).lastPathComponent
            let temporary = "\(directory)/.\(name).brickctl-relink-\(getpid())"
            unlink(temporary)
            guard symlink(target, temporary) == 0 else {
                throw ReplicaReaderError("cannot create \(temporary): \(String(cString: strerror(errno)))")
            }
            _ = lchown(temporary, info.st_uid, info.st_gid)
            var times = [info.st_atim, info.st_mtim]
            _ = utimensat(AT_FDCWD, temporary, &times, AT_SYMLINK_NOFOLLOW)
            guard rename(temporary, full) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw ReplicaReaderError("cannot replace \(path) by a new link: \(reason)")
            }
            done.append(path)
        }
        return done
    }
}

extension HealInfo {
    /// The paths pending heal on any brick, each once, sorted (`<gfid:…>` entries left out).
    public var pendingPaths: [String] {
        Set(bricks.flatMap(\.files).map(\.path).filter { $0.hasPrefix("/") }).sorted()
    }
}
