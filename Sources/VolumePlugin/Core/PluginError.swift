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

    public var code: Code
    public var message: String
    public var cause: String?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause, !cause.isEmpty else { return message }
        return "\(message) (\(cause))"
    }
}
