internal import CGlusterAPI
public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Owner of a file or directory created through gfapi.
public struct FileOwner: Sendable, Hashable, Codable {
    public var uid: UInt32
    public var gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }
}

extension GlusterVolumeHandle {
    /// What `makeDirectory` found.
    public enum DirectoryOutcome: String, Sendable, Hashable, Codable {
        case created
        case alreadyExisted = "already-existed"
    }

    /// Space and inodes of the volume as its clients see it.
    ///
    /// The corresponding C function is `glfs_statvfs`.
    /// - Throws: `GlusterAPIError` (operation `.statvfs`).
    public func statvfs(path: String = "/") throws -> VolumeSpace {
        try withOpenVolume(.statvfs, path: path) { fs in
            var raw = brickctl_glfs_statvfs_t()
            guard brickctl_glfs_statvfs(fs, path, &raw) == 0 else { throw failure(.statvfs, path) }
            return VolumeSpace(
                blockSize: raw.block_size, blocks: raw.blocks, blocksFree: raw.blocks_free,
                blocksAvailable: raw.blocks_available, files: raw.files, filesFree: raw.files_free)
        }
    }

    /// Whether `path` exists and is a directory; false when it does not exist.
    ///
    /// The corresponding C function is `glfs_stat`.
    /// - Throws: `GlusterAPIError` (operation `.stat`) for failures other than "does not exist".
    public func isDirectory(_ path: String) throws -> Bool {
        try withOpenVolume(.stat, path: path) { fs in
            guard let status = try stat(fs, path) else { return false }
            return brickctl_glfs_mode_is_directory(status.mode) == 1
        }
    }

    /// Makes a directory; safe to run twice.
    ///
    /// An existing directory counts as success; an existing file or other non-directory is an
    /// error. The directory ends with `mode` (exactly: gfapi's umask does not apply) and, when
    /// given, `owner`, whether it was made now or before; parents made on the way get 0755 and
    /// the caller's owner, like `mkdir -p`.
    /// The corresponding C functions are `glfs_mkdir`, `glfs_stat`, `glfs_chmod`, `glfs_chown`.
    /// - Parameter createParents: make missing parent directories too (`mkdir -p`).
    /// - Throws: `GlusterAPIError`: `.alreadyExists` when `path` is not a directory, `.notFound`
    ///   when a parent is missing and `createParents` is false.
    @discardableResult
    public func makeDirectory(
        _ path: String, mode: UInt32 = 0o755, owner: FileOwner? = nil, createParents: Bool = false
    ) throws
        -> DirectoryOutcome
    {
        guard !Self.parents(of: path + "/x").isEmpty else {
            throw GlusterAPIError(
                operation: .mkdir, kind: .invalidArgument, volume: volume, path: path, errno: EINVAL,
                message: "cannot mkdir \"\(path)\" on volume \(volume): name a directory below the volume's root")
        }
        return try withOpenVolume(.mkdir, path: path) { fs in
            if createParents {
                for parent in Self.parents(of: path) {
                    _ = try makeOneDirectory(fs, parent, mode: 0o755)
                }
            }
            let outcome = try makeOneDirectory(fs, path, mode: mode)
            guard let status = try stat(fs, path) else {
                throw GlusterAPIError(operation: .stat, volume: volume, path: path, errno: ENOENT)
            }
            if status.mode & 0o7777 != mode & 0o7777, brickctl_glfs_chmod(fs, path, mode & 0o7777) != 0 {
                throw failure(.chmod, path)
            }
            if let owner, status.uid != owner.uid || status.gid != owner.gid,
                brickctl_glfs_chown(fs, path, owner.uid, owner.gid) != 0
            {
                throw failure(.chown, path)
            }
            return outcome
        }
    }

    /// Removes an empty directory.
    ///
    /// The corresponding C function is `glfs_rmdir`.
    /// - Throws: `GlusterAPIError`: `.notEmpty`, `.notFound`, `.notADirectory`.
    public func removeDirectory(_ path: String) throws {
        try withOpenVolume(.rmdir, path: path) { fs in
            guard brickctl_glfs_rmdir(fs, path) == 0 else { throw failure(.rmdir, path) }
        }
    }

    /// Writes `contents` to the file at `path` and fsyncs it: when this returns, the bytes are on
    /// the bricks, so the process may exit without glfs_fini.
    ///
    /// Not atomic: a reader may see a partly written file (gfapi has no O_TMPFILE here).
    /// The corresponding C functions are `glfs_creat`, `glfs_write`, `glfs_fsync`, `glfs_close`.
    /// - Parameter replacing: false to fail with `.alreadyExists` when the file exists (O_EXCL).
    /// - Throws: `GlusterAPIError` naming the step (create, write, fsync, close).
    public func writeFile(_ path: String, _ contents: Data, mode: UInt32 = 0o644, replacing: Bool = true) throws {
        try withOpenVolume(.create, path: path) { fs in
            let flags = O_WRONLY | O_CREAT | (replacing ? O_TRUNC : O_EXCL)
            guard let fd = brickctl_glfs_creat(fs, path, flags, mode & 0o7777) else { throw failure(.create, path) }
            var firstError: GlusterAPIError?
            let written = contents.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                var offset = 0
                while offset < buffer.count {
                    let n = brickctl_glfs_write(fd, base + offset, buffer.count - offset)
                    if n < 0 {
                        firstError = failure(.write, path)
                        break
                    }
                    if n == 0 {
                        firstError = GlusterAPIError(operation: .write, volume: volume, path: path, errno: EIO)
                        break
                    }
                    offset += n
                }
                return offset
            }
            if firstError == nil, written == contents.count, brickctl_glfs_fsync(fd) != 0 {
                firstError = failure(.fsync, path)
            }
            if brickctl_glfs_close(fd) != 0, firstError == nil {
                firstError = failure(.close, path)
            }
            if let firstError { throw firstError }
        }
    }

    /// The whole content of the file at `path`.
    ///
    /// The corresponding C functions are `glfs_open`, `glfs_read`, `glfs_close`.
    /// - Parameter limit: refuse files larger than this many bytes (`.invalidArgument`).
    /// - Throws: `GlusterAPIError` (`.notFound`, `.invalidArgument` for a directory or a file over `limit`).
    public func readFile(_ path: String, limit: Int = 64 << 20) throws -> Data {
        try withOpenVolume(.open, path: path) { fs in
            guard let fd = brickctl_glfs_open(fs, path, O_RDONLY) else { throw failure(.open, path) }
            var data = Data()
            var chunk = [UInt8](repeating: 0, count: 128 << 10)
            var readError: GlusterAPIError?
            while true {
                let n = chunk.withUnsafeMutableBytes { buffer in
                    brickctl_glfs_read(fd, buffer.baseAddress, buffer.count)
                }
                if n < 0 {
                    readError = failure(.read, path)
                    break
                }
                if n == 0 { break }
                data.append(contentsOf: chunk[0..<n])
                if data.count > limit {
                    readError = GlusterAPIError(
                        operation: .read, kind: .invalidArgument, volume: volume, path: path, errno: EFBIG,
                        message: "cannot read \(path) on volume \(volume): it is larger than \(limit) bytes")
                    break
                }
            }
            _ = brickctl_glfs_close(fd)
            if let readError { throw readError }
            return data
        }
    }

    /// Removes the file at `path`.
    ///
    /// The corresponding C function is `glfs_unlink`.
    /// - Throws: `GlusterAPIError` (`.notFound`, `.invalidArgument` for a directory).
    public func unlink(_ path: String) throws {
        try withOpenVolume(.unlink, path: path) { fs in
            guard brickctl_glfs_unlink(fs, path) == 0 else { throw failure(.unlink, path) }
        }
    }

    /// Writes `contents` beside `path` and renames it over `path`: readers see the old file or the
    /// whole new one, never a part (what `writeFile` alone cannot promise).
    ///
    /// The corresponding C functions are those of `writeFile`, then `glfs_rename`.
    /// - Throws: `GlusterAPIError` naming the step; the temporary file is removed on failure.
    public func replaceFile(_ path: String, _ contents: Data, mode: UInt32 = 0o644) throws {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let temporary = String(path[..<slash]) + "." + String(path[slash...]) + ".tmp"
        try writeFile(temporary, contents, mode: mode)
        try withOpenVolume(.write, path: path) { fs in
            guard brickctl_glfs_rename(fs, temporary, path) == 0 else {
                let error = failure(.write, path)
                _ = brickctl_glfs_unlink(fs, temporary)
                throw error
            }
        }
    }

    /// The names in the directory at `path` (without "." and ".."), unsorted.
    ///
    /// The corresponding C functions are `glfs_opendir`, `glfs_readdir`, `glfs_closedir`.
    /// - Throws: `GlusterAPIError` (operation `.open` for opendir: `.notFound`, `.notADirectory`;
    ///   `.read` for readdir).
    public func directoryNames(_ path: String) throws -> [String] {
        try withOpenVolume(.open, path: path) { fs in
            guard let dir = brickctl_glfs_opendir(fs, path) else { throw failure(.open, path) }
            defer { _ = brickctl_glfs_closedir(dir) }
            var names: [String] = []
            var buffer = [CChar](repeating: 0, count: 512)
            while true {
                let rc = brickctl_glfs_readdir_name(dir, &buffer, buffer.count)
                if rc == 0 { break }
                if rc < 0 { throw failure(.read, path) }
                let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if name != "." && name != ".." { names.append(name) }
            }
            return names
        }
    }

    // MARK: - Helpers (called inside withOpenVolume)

    /// glfs_stat, or nil when `path` does not exist.
    private func stat(_ fs: OpaquePointer, _ path: String) throws -> brickctl_glfs_stat_t? {
        var status = brickctl_glfs_stat_t()
        if brickctl_glfs_stat(fs, path, &status) == 0 { return status }
        if Glibc.errno == ENOENT { return nil }
        throw failure(.stat, path)
    }

    /// glfs_mkdir; EEXIST on a directory is success.
    private func makeOneDirectory(_ fs: OpaquePointer, _ path: String, mode: UInt32) throws -> DirectoryOutcome {
        if brickctl_glfs_mkdir(fs, path, mode & 0o7777) == 0 { return .created }
        let code = Glibc.errno
        guard code == EEXIST else { throw GlusterAPIError(operation: .mkdir, volume: volume, path: path, errno: code) }
        if let status = try stat(fs, path), brickctl_glfs_mode_is_directory(status.mode) == 1 { return .alreadyExisted }
        throw GlusterAPIError(
            operation: .mkdir, kind: .alreadyExists, volume: volume, path: path, errno: EEXIST,
            message: "cannot mkdir \(path) on volume \(volume): it exists and is not a directory; move it away first")
    }

    /// "/a/b/c" → ["/a", "/a/b"]: the parents to make for `mkdir -p`, outermost first.
    static func parents(of path: String) -> [String] {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard components.count > 1 else { return [] }
        return (1..<components.count).map { "/" + components[0..<$0].joined(separator: "/") }
    }
}
