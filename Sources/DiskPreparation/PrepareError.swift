import Glibc

/// A step of prepare, release or activate that failed: which kind of step, what failed, why, and
/// what to do next.
///
/// `description` reads `message: cause; advice` (each part only when present), the text the
/// command line prints.
public struct PrepareError: Error, CustomStringConvertible, Sendable {
    /// Which kind of step failed.
    public enum Code: String, Hashable, Sendable {
        /// Writing the partition table (libfdisk).
        case partitioning
        /// Telling the kernel about partitions (BLKPG, sysfs, /dev).
        case kernel
        /// Making or reading the filesystem.
        case filesystem
        /// Mounting or unmounting.
        case mount
        /// Another run or another program holds the disk.
        case busy
        /// The target is not a brick `prepare` made.
        case notABrick
        /// The brick still belongs to a Gluster volume.
        case inUseByGluster
    }

    /// What went wrong underneath.
    public enum Cause: CustomStringConvertible, Sendable {
        /// A system call's `errno`, shown as `strerror` says it.
        case errno(Int32)
        /// What a program or library reported, as it said it.
        case output(String)
        /// An error thrown by a lower layer.
        case error(any Error)

        public var description: String {
            switch self {
            case .errno(let code): return String(cString: strerror(code))
            case .output(let text): return text
            case .error(let error): return "\(error)"
            }
        }
    }

    public var code: Code
    /// What failed, in words (no command-line flags).
    public var message: String
    public var cause: Cause?
    /// What to do next, or what was undone, when there is something to say.
    public var advice: String?

    public init(_ code: Code, _ message: String, cause: Cause? = nil, advice: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.advice = advice
    }

    public var description: String {
        message + (cause.map { ": \($0)" } ?? "") + (advice.map { "; \($0)" } ?? "")
    }
}
