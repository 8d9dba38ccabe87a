#if canImport(Glibc)
    import Glibc
#endif

/// A libgfapi call that failed, with the volume, the path, `errno`, and what to do about it.
///
/// The message is a sentence for the user; `kind` and `errno` are for code that decides (the
/// Docker plugin, a retry loop). The interpretation is pure (`init(operation:errno:…)`), so the
/// wording is unit-tested without glusterd.
public struct GlusterAPIError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What brickctl was doing through libgfapi.
    public enum Operation: String, Sendable, Hashable, Codable {
        case connect, statvfs, mkdir, rmdir, stat, chmod, chown, create, open, read, write, fsync, close, unlink
    }

    /// What the failure means, as far as brickctl can tell.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// glusterd answered and knows no such volume (glfs_init: ENOENT).
        case noSuchVolume = "no-such-volume"
        /// The volume exists but none of its bricks came up: not started, or bricks down (glfs_init: EIO).
        case volumeOffline = "volume-offline"
        /// No volfile server answered: name does not resolve, glusterd down, port closed (glfs_init: ENOTCONN).
        case serversUnreachable = "servers-unreachable"
        /// glfs_init did not return within brickctl's deadline (packets silently dropped somewhere).
        case timedOut = "timed-out"
        /// libgfapi itself cannot be loaded (glusterfs-common not installed).
        case libraryMissing = "library-missing"
        /// The handle was closed (`close()`, `closeIdle`, `shutdown`) before or while this call ran.
        case handleClosed = "handle-closed"
        /// Bricks or quorum lost after connecting (ENOTCONN, EIO, EROFS on a file operation).
        case disconnected
        case notFound = "not-found"
        case alreadyExists = "already-exists"
        case notADirectory = "not-a-directory"
        case notEmpty = "not-empty"
        case permissionDenied = "permission-denied"
        case noSpace = "no-space"
        case invalidArgument = "invalid-argument"
        case other
    }

    public var operation: Operation
    public var kind: Kind
    public var volume: String
    /// The path inside the volume, or nil for `connect`.
    public var path: String?
    /// The C errno, or nil where there is none (timeouts, a closed handle).
    public var errno: Int32?
    public var message: String

    public var description: String { message }

    public init(operation: Operation, kind: Kind, volume: String, path: String?, errno: Int32?, message: String) {
        self.operation = operation
        self.kind = kind
        self.volume = volume
        self.path = path
        self.errno = errno
        self.message = message
    }

    /// The C library's words for an errno ("Transport endpoint is not connected").
    public static func text(ofErrno code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Interprets glfs_init's errno.
    ///
    /// Measured on glusterfs 10.3: ENOENT when glusterd has no such volume; EIO when the volume is
    /// not started (or all its bricks are down); ENOTCONN when no volfile server answered (name not
    /// resolved, glusterd not running, host unreachable).
    /// - Parameters:
    ///   - servers: the volfile servers tried, in order.
    ///   - logFile: where gfapi wrote its own log, or nil when it was discarded.
    static func connect(volume: String, servers: [String], port: Int, errno code: Int32, logFile: String?)
        -> GlusterAPIError
    {
        let via = servers.joined(separator: ", ")
        let details = logFile.map { " (gfapi's log: \($0))" } ?? ""
        let kind: Kind
        let message: String
        switch code {
        case ENOENT:
            kind = .noSuchVolume
            message =
                "there is no volume \(volume) on \(via) (glusterd answered, but knows no such volume): check the name with `gluster volume list`"
        case EIO:
            kind = .volumeOffline
            message =
                "volume \(volume) did not come online through \(via): start it (`gluster volume start \(volume)`); if it is started, check that its bricks are online (`gluster volume status \(volume)`)\(details)"
        case ENOTCONN, ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ETIMEDOUT:
            return unreachable(volume: volume, port: port, servers: via, errno: code, logFile: logFile)
        case EINVAL:
            kind = .invalidArgument
            message =
                "gfapi refused the connection settings for volume \(volume) via \(via) (\(text(ofErrno: code))): check the volume and server names\(details)"
        default:
            kind = .other
            message = "cannot connect to volume \(volume) via \(via): \(text(ofErrno: code))\(details)"
        }
        return GlusterAPIError(
            operation: .connect, kind: kind, volume: volume, path: nil, errno: code, message: message)
    }

    /// No volfile server can be reached; `servers` is the list, or what each one answered
    /// ("n3: connection refused (glusterd not running there?)").
    static func unreachable(volume: String, port: Int, servers: String, errno code: Int32, logFile: String?)
        -> GlusterAPIError
    {
        let details = logFile.map { " (gfapi's log: \($0))" } ?? ""
        let message =
            "cannot reach glusterd (TCP port \(port)) to fetch volume \(volume) — \(servers): check that each name resolves, "
            + "that glusterd runs there (`systemctl status glusterd`) and that the port is open, or name another server\(details)"
        return GlusterAPIError(
            operation: .connect, kind: .serversUnreachable, volume: volume, path: nil, errno: code, message: message)
    }

    /// glfs_init did not return in time; it keeps running in the background and cleans up after itself.
    static func timedOut(volume: String, servers: [String], after timeout: Duration, logFile: String?)
        -> GlusterAPIError
    {
        let details = logFile.map { " (gfapi's log: \($0))" } ?? ""
        let message =
            "volume \(volume) did not come online within \(Self.seconds(timeout)) (glusterd on \(servers.joined(separator: ", ")) answered, "
            + "but gfapi is still waiting for bricks): a brick host is down or a firewall drops packets to it; "
            + "check `gluster volume status \(volume)` on a server, or wait longer\(details)"
        return GlusterAPIError(
            operation: .connect, kind: .timedOut, volume: volume, path: nil, errno: ETIMEDOUT, message: message)
    }

    /// A brick refused this client (its log says "Authentication failed": auth.allow or
    /// auth.ssl-allow does not list it); glfs_init was abandoned at once.
    static func refused(volume: String, servers: [String], logFile: String) -> GlusterAPIError {
        GlusterAPIError(
            operation: .connect, kind: .permissionDenied, volume: volume, path: nil, errno: EACCES,
            message:
                "the bricks of volume \(volume) (via \(servers.joined(separator: ", "))) refused this client: its address is not in auth.allow, or its certificate's name not in auth.ssl-allow (gfapi's log: \(logFile))"
        )
    }

    /// libgfapi could not be loaded; `reason` is the loader's words.
    static func libraryMissing(volume: String, reason: String) -> GlusterAPIError {
        GlusterAPIError(
            operation: .connect, kind: .libraryMissing, volume: volume, path: nil, errno: ELIBACC,
            message:
                "cannot use volume \(volume) through libgfapi: \(reason): install it with `apt-get install glusterfs-common` (scripts/install-deps does)"
        )
    }

    /// The handle was closed before this call could run.
    static func closed(operation: Operation, volume: String, path: String?) -> GlusterAPIError {
        GlusterAPIError(
            operation: operation, kind: .handleClosed, volume: volume, path: path, errno: nil,
            message:
                "cannot \(operation.rawValue) \(path ?? "") on volume \(volume): its gfapi handle was already closed; take a fresh one from GlusterVolumes"
        )
    }

    /// Interprets the errno of a file operation on `path` inside `volume`.
    init(operation: Operation, volume: String, path: String, errno code: Int32) {
        let what = "\(operation.rawValue) \(path) on volume \(volume)"
        let kind: Kind
        let message: String
        switch code {
        case ENOENT:
            kind = .notFound
            message = "cannot \(what): \(path) (or a parent directory) does not exist"
        case EEXIST:
            kind = .alreadyExists
            message = "cannot \(what): \(path) already exists"
        case ENOTDIR:
            kind = .notADirectory
            message = "cannot \(what): a component of \(path) is not a directory"
        case EISDIR:
            kind = .invalidArgument
            message = "cannot \(what): \(path) is a directory"
        case ENOTEMPTY:
            kind = .notEmpty
            message = "cannot \(what): the directory is not empty; remove what is inside first"
        case EACCES, EPERM:
            kind = .permissionDenied
            message = "cannot \(what): permission denied; run as root (gfapi clients act as the calling uid)"
        case ENOSPC, EDQUOT:
            kind = .noSpace
            message =
                "cannot \(what): the volume is full (\(Self.text(ofErrno: code))); free space or add bricks"
        case EROFS:
            kind = .disconnected
            message =
                "cannot \(what): the volume is read-only for this client, usually because too few bricks are reachable for quorum; check `gluster volume status \(volume)`"
        case ENOTCONN, EIO, ECONNREFUSED, EHOSTUNREACH, ETIMEDOUT:
            kind = .disconnected
            message =
                "cannot \(what): \(Self.text(ofErrno: code)); the client lost its bricks: check `gluster volume status \(volume)` and the network to the brick hosts"
        case EINVAL, ENAMETOOLONG:
            kind = .invalidArgument
            message = "cannot \(what): \(Self.text(ofErrno: code)); check the path"
        default:
            kind = .other
            message = "cannot \(what): \(Self.text(ofErrno: code))"
        }
        self.init(operation: operation, kind: kind, volume: volume, path: path, errno: code, message: message)
    }

    /// "10 s", "2.5 s", "250 ms".
    static func seconds(_ duration: Duration) -> String {
        let (s, atto) = duration.components
        let ms = s * 1000 + atto / 1_000_000_000_000_000
        if ms < 1000 { return "\(ms) ms" }
        if ms % 1000 == 0 { return "\(ms / 1000) s" }
        return "\(Double(ms) / 1000) s"
    }
}
