#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call, with what brickctl was trying to do.
public struct SystemError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var errno: Int32

    public init(_ operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    /// The error for the calling thread's current `errno`.
    public static func last(_ operation: String) -> SystemError {
        SystemError(operation, errno: Glibc.errno)
    }

    public var description: String {
        "cannot \(operation): \(String(cString: strerror(errno)))"
    }
}
