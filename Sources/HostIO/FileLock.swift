#if canImport(Glibc)
    public import Glibc
#endif

/// An exclusive `flock` held on a file for as long as this value lives.
///
/// brickctl runs take one on a lock file (fstab edits) or on the device itself (prepare), so two
/// runs never interleave. The corresponding C function is `flock`.
public final class FileLock: Sendable {
    private let fd: Int32
    public let path: String

    /// Opens (creating if asked) `path` and waits for an exclusive lock, up to `timeout` seconds.
    ///
    /// - Throws: `SystemError` when the file cannot be opened, `FileLockError.timedOut` when another
    ///   process holds the lock for longer than `timeout`.
    public init(path: String, create: Bool = true, flags: Int32 = O_RDONLY, timeout: Double = 30) throws {
        self.path = path
        let fd = create ? open(path, flags | O_CREAT | O_CLOEXEC, 0o600) : open(path, flags | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.last("open \(path) to lock it") }
        let deadline = monotonicSeconds() + timeout
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            guard err == EWOULDBLOCK || err == EINTR else {
                close(fd)
                throw SystemError("lock \(path)", errno: err)
            }
            if monotonicSeconds() > deadline {
                close(fd)
                throw FileLockError.timedOut(path: path, seconds: timeout)
            }
            usleep(20_000)
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

public enum FileLockError: Error, CustomStringConvertible, Sendable {
    case timedOut(path: String, seconds: Double)

    public var description: String {
        switch self {
        case .timedOut(let path, let seconds):
            return "another brickctl run holds \(path) (waited \(Int(seconds)) s); wait for it to finish and try again"
        }
    }
}

/// Seconds on the monotonic clock.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
