import Glibc

/// A refusal or failure of the plugin, with a stable code, a message that says what to do, and
/// the cause underneath (the glusterfs client's own log line, a system error).
public struct PluginError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable, Codable {
        case badName = "bad-name"
        case badOption = "bad-option"
        case badRequest = "bad-request"
        case notFound = "not-found"
        case conflict = "conflict"
        case inUse = "in-use"
        case noGlusterVolume = "no-gluster-volume"
        case localRootNotPrepared = "local-root-not-prepared"
        case mountFailed = "mount-failed"
        case notOnGluster = "not-on-gluster"
        case gluster = "gluster"
        case quota = "quota"
        case io = "io"
        case timedOut = "timed-out"
        case damagedMarker = "damaged-marker"
        /// The client closed the connection before its answer was ready: the call was undone.
        case clientGone = "client-gone"
    }

    /// What lies under the error, typed where code decides on it.
    public enum Cause: Sendable, Equatable, CustomStringConvertible {
        /// A system call's error number (shown as `strerror` words it).
        case errno(Int32)
        /// The Gluster servers refused this host (`auth.allow`): what gluster or its client said.
        case refused(String)
        /// Any other underlying error, in its own words.
        case text(String)

        public var description: String {
            switch self {
            case .errno(let number): String(cString: strerror(number))
            case .refused(let text), .text(let text): text
            }
        }
    }

    public var code: Code
    public var message: String
    public var cause: Cause?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause.map(Cause.text)
    }

    public init(_ code: Code, _ message: String, because cause: Cause) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// Whether the Gluster servers refused this host (`auth.allow`).
    public var isRefusal: Bool {
        if case .refused = cause { return true }
        return false
    }

    public var description: String {
        guard let cause = cause?.description, !cause.isEmpty else { return message }
        return "\(message) (\(cause))"
    }
}
