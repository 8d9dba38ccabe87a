public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file's contents all at once: temp file in the same directory, fsync, rename, fsync dir.
///
/// A reader (or a crash) sees either the old bytes or the new bytes, never a mix.
public enum AtomicFile {
    /// Writes `data` to `path` atomically, keeping the old file's mode and owner when it exists.
    ///
    /// - Parameter prepare: called with the temp file's path before the rename; throwing aborts
    ///   the write and leaves the old file untouched (used to validate the new contents).
    /// - Throws: `SystemError` for a failed syscall, or what `prepare` throws.
    /// The corresponding C functions are `mkstemp`, `write`, `fsync`, `rename`.
    public static func write(
        _ data: Data, to path: String, mode defaultMode: mode_t = 0o644,
        prepare: ((String) throws -> Void)? = nil
    ) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let base = url.lastPathComponent
        var template = Array("\(dir)/.\(base).brickctl-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw SystemError.last("create a temporary file next to \(path)") }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(tempPath) }
        }
        do {
            defer { close(fd) }
            var st = stat()
            if stat(path, &st) == 0 {
                fchmod(fd, st.st_mode & 0o7777)
                _ = fchown(fd, st.st_uid, st.st_gid)
            } else {
                fchmod(fd, defaultMode)
            }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw SystemError.last("write \(tempPath)")
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw SystemError.last("fsync \(tempPath)") }
        }
        try prepare?(tempPath)
        guard rename(tempPath, path) == 0 else { throw SystemError.last("rename \(tempPath) to \(path)") }
        committed = true
        let dfd = open(dir, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }
}
