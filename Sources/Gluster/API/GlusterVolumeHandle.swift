internal import CGlusterAPI
import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One libgfapi connection to one volume: the only owner of a `glfs_t`.
///
/// Opening costs a glfs_init (~20 ms on the lab); closing costs a glfs_fini, which takes ~11 s on
/// glusterfs 10.3 (gluster/glusterfs#1962). So: take handles from `GlusterVolumes.shared` and reuse
/// them; interactive commands never close (the process exit releases everything — every write
/// through this type is fsync'ed before it returns, so nothing is left in gfapi's caches); a
/// long-lived process closes idle handles in the background (`GlusterVolumes.closeIdle`).
///
/// Thread-safe: any number of calls may run at once (gfapi is multi-threaded); `close()` waits
/// for the calls in flight, and calls after it throw `GlusterAPIError` of kind `.handleClosed`.
/// Paths are absolute paths inside the volume ("/" is its root).
public final class GlusterVolumeHandle: @unchecked Sendable {
    public let address: GlusterVolumeAddress
    /// gfapi's log file, or nil when logging went to /dev/null.
    public let logFile: String?
    /// How long glfs_init took (the connect: volfile fetch, graph build, bricks up).
    public let initDuration: Duration

    public var volume: String { address.volume }

    /// How long a connect may take by default: above the ~10 s glfs_init itself waits for a brick
    /// whose host does not answer (measured: it then succeeds when the others make quorum).
    public static let defaultTimeout: Duration = .seconds(20)

    /// Guards `fs` and `inFlight`. `fs` is nil once closed.
    private let condition = NSCondition()
    private var fs: OpaquePointer?
    private var inFlight = 0

    /// Connects to a volume: glfs_new, glfs_set_volfile_server (once per server), glfs_set_logging,
    /// glfs_init.
    ///
    /// First every server gets a TCP connect, all at once (`VolfileServerCheck`): servers that answer
    /// are handed to gfapi first, since gfapi itself spends 3 s (refused, unreachable) to 42 s
    /// (packets dropped) on a dead server before it tries the next. glfs_init then runs on its own
    /// thread so that `timeout` holds for the whole connect; after a timeout that thread is left to
    /// finish and clean up on its own.
    /// - Parameters:
    ///   - servers: glusterd hosts; the first is preferred, the others are backups.
    ///   - log: where gfapi logs (see `GlusterLog`).
    ///   - timeout: how long to wait for glfs_init.
    /// - Throws: `GlusterAPIError` (operation `.connect`) of kind `.noSuchVolume` (ENOENT),
    ///   `.volumeOffline` (EIO: not started, bricks down), `.serversUnreachable` (no server accepts
    ///   a TCP connection within 5 s, or glfs_init's ENOTCONN), `.timedOut` (glfs_init did not
    ///   return within `timeout`), or `.invalidArgument` for an unusable address.
    public convenience init(
        volume: String, servers: [String], port: Int = GlusterVolumeAddress.defaultPort,
        transport: GlusterVolumeAddress.Transport = .tcp, log: GlusterLog = .default,
        timeout: Duration = GlusterVolumeHandle.defaultTimeout
    ) throws {
        try self.init(
            GlusterVolumeAddress(volume: volume, servers: servers, port: port, transport: transport), log: log,
            timeout: timeout)
    }

    /// Connects to the volume at `address`; see `init(volume:servers:port:transport:log:timeout:)`.
    public init(
        _ address: GlusterVolumeAddress, log: GlusterLog = .default,
        timeout: Duration = GlusterVolumeHandle.defaultTimeout
    ) throws {
        if let problem = address.problem {
            throw GlusterAPIError(
                operation: .connect, kind: .invalidArgument, volume: address.volume, path: nil, errno: EINVAL,
                message: problem)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + timeout
        var servers = address.servers
        if address.transport == .tcp {
            let check = VolfileServerCheck.run(
                servers: servers, port: address.port, deadline: min(deadline, start + VolfileServerCheck.window))
            guard check.anyReachable else {
                throw GlusterAPIError.unreachable(
                    volume: address.volume, port: address.port, servers: check.summary,
                    errno: check.allFailed ? ENOTCONN : ETIMEDOUT,
                    logFile: nil)
            }
            servers = check.order
        }
        guard let fs = brickctl_glfs_new(address.volume) else {
            let code = Glibc.errno
            if let why = brickctl_glfs_load_error() {
                throw GlusterAPIError.libraryMissing(volume: address.volume, reason: String(cString: why))
            }
            throw GlusterAPIError.connect(
                volume: address.volume, servers: servers, port: address.port, errno: code, logFile: nil)
        }
        let port = Int32(address.transport == .tcp ? address.port : 0)
        for server in servers where brickctl_glfs_set_volfile_server(fs, address.transport.rawValue, server, port) != 0
        {
            let code = Glibc.errno
            Self.finishInBackground(fs)
            throw GlusterAPIError.connect(
                volume: address.volume, servers: [server], port: address.port, errno: code, logFile: nil)
        }
        let logFile = Self.setLogging(fs, log)
        let logStart = logFile.map(RefusalWatch.size(of:)) ?? 0

        let attempt = InitAttempt(fs)
        let worker = Thread { attempt.run() }
        worker.name = "gfapi-init \(address.volume)"
        worker.start()
        // A brick that refuses this client (auth.allow, auth.ssl-allow) does not end glfs_init:
        // gfapi keeps retrying until the timeout. Its log says so at once, so watch it and give
        // up as soon as a refusal for this volume appears there.
        var outcome: (rc: Int32, errno: Int32)?
        while outcome == nil {
            let slice = min(deadline, clock.now + RefusalWatch.interval)
            outcome = attempt.wait(until: slice, final: slice >= deadline)
            if outcome != nil || slice >= deadline { break }
            if let logFile, RefusalWatch.refused(volume: address.volume, log: logFile, from: logStart) {
                guard let late = attempt.abandon() else {
                    throw GlusterAPIError.refused(volume: address.volume, servers: servers, logFile: logFile)
                }
                outcome = late
            }
        }
        guard let (rc, code) = outcome else {
            throw GlusterAPIError.timedOut(volume: address.volume, servers: servers, after: timeout, logFile: logFile)
        }
        guard rc == 0 else {
            // A failed glfs_init still owns threads and memory; glfs_fini frees them but can take
            // seconds (3 s measured for a stopped volume), so it runs where nobody waits for it.
            Self.finishInBackground(fs)
            throw GlusterAPIError.connect(
                volume: address.volume, servers: servers, port: address.port, errno: code, logFile: logFile)
        }
        self.address = address
        self.logFile = logFile
        self.fs = fs
        self.initDuration = clock.now - start
    }

    /// Releases the handle if `close()` was not called, without making the releasing thread wait
    /// for glfs_fini (~11 s): it runs on a thread of its own. A process that exits meanwhile simply
    /// drops it.
    deinit {
        if let fs { Self.finishInBackground(fs) }
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return fs == nil
    }

    /// Closes the connection with glfs_fini, after the calls in flight have returned, and returns
    /// how long glfs_fini took (~11 s on glusterfs 10.3); nil when already closed.
    ///
    /// Never call this on an interactive path; see the type's summary.
    @discardableResult
    public func close() -> Duration? {
        condition.lock()
        guard let fs else {
            condition.unlock()
            return nil
        }
        self.fs = nil
        // Calls in flight end within gfapi's own timeouts (ping-timeout, call-bail); should one
        // hang past 5 minutes, the connection is left open rather than freed under it.
        let deadline = Date(timeIntervalSinceNow: 300)
        while inFlight > 0 {
            if !condition.wait(until: deadline) && inFlight > 0 {
                condition.unlock()
                return nil
            }
        }
        condition.unlock()
        let clock = ContinuousClock()
        let start = clock.now
        _ = brickctl_glfs_fini(fs)
        return clock.now - start
    }

    /// Runs `body` with the open `glfs_t`, keeping `close()` from freeing it meanwhile.
    /// - Throws: `.handleClosed` when already closed, or what `body` throws.
    func withOpenVolume<T>(_ operation: GlusterAPIError.Operation, path: String?, _ body: (OpaquePointer) throws -> T)
        throws -> T
    {
        condition.lock()
        guard let fs else {
            condition.unlock()
            throw GlusterAPIError.closed(operation: operation, volume: volume, path: path)
        }
        inFlight += 1
        condition.unlock()
        defer {
            condition.lock()
            inFlight -= 1
            if inFlight == 0 { condition.broadcast() }
            condition.unlock()
        }
        return try body(fs)
    }

    /// The error for the calling thread's errno after a failed call on `path`.
    func failure(_ operation: GlusterAPIError.Operation, _ path: String) -> GlusterAPIError {
        GlusterAPIError(operation: operation, volume: volume, path: path, errno: Glibc.errno)
    }

    // MARK: - Setup helpers

    /// glfs_set_logging to the requested file, falling back to /dev/null; returns the file in use.
    private static func setLogging(_ fs: OpaquePointer, _ log: GlusterLog) -> String? {
        if case .file(let path, let level) = log {
            // gfapi opens the file itself; it cannot create a missing directory.
            let directory = (path as NSString).deletingLastPathComponent
            if access(directory, W_OK) == 0, brickctl_glfs_set_logging(fs, path, level.rawValue) == 0 {
                return path
            }
        }
        _ = brickctl_glfs_set_logging(fs, "/dev/null", GlusterLog.Level.none.rawValue)
        return nil
    }

    /// glfs_fini on a thread of its own, for a handle nobody will wait for.
    private static func finishInBackground(_ fs: OpaquePointer) {
        let doomed = UncheckedHandle(fs)
        let thread = Thread { _ = brickctl_glfs_fini(doomed.fs) }
        thread.name = "gfapi-fini"
        thread.start()
    }
}

/// A `glfs_t` handed to another thread; only ever used by one thread at a time.
private struct UncheckedHandle: @unchecked Sendable {
    let fs: OpaquePointer
    init(_ fs: OpaquePointer) { self.fs = fs }
}

/// One glfs_init on a worker thread, which the caller may stop waiting for.
///
/// When the caller gives up, the worker keeps the `glfs_t`: once glfs_init returns it calls
/// glfs_fini itself, so nothing leaks and nobody waits.
private final class InitAttempt: Sendable {
    private let fs: UncheckedHandle
    private let finished = DispatchSemaphore(value: 0)
    /// glfs_init's rc and errno once it returned; whether the caller stopped waiting.
    private let state = Mutex<(result: (rc: Int32, errno: Int32)?, abandoned: Bool)>((nil, false))

    init(_ fs: OpaquePointer) { self.fs = UncheckedHandle(fs) }

    /// On the worker thread.
    func run() {
        let rc = brickctl_glfs_init(fs.fs)
        let code = rc == 0 ? 0 : Glibc.errno
        let nobodyWaits = state.withLock { state in
            state.result = (rc, code)
            return state.abandoned
        }
        if nobodyWaits {
            _ = brickctl_glfs_fini(fs.fs)
        } else {
            finished.signal()
        }
    }

    /// On the caller's thread: glfs_init's rc and errno, or nil at `deadline`; when `final`, the
    /// worker then owns the handle.
    func wait(until deadline: ContinuousClock.Instant, final: Bool = true) -> (rc: Int32, errno: Int32)? {
        let (seconds, attoseconds) = (deadline - ContinuousClock().now).components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        if finished.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds))) == .success {
            finished.signal()  // a later wait (or abandon) must see it too
        }
        return state.withLock { state in
            if let result = state.result { return result }
            if final { state.abandoned = true }
            return nil
        }
    }

    /// On the caller's thread: stops waiting; the worker then owns the handle. Returns the result
    /// when glfs_init finished meanwhile (the caller owns the handle after all).
    func abandon() -> (rc: Int32, errno: Int32)? {
        state.withLock { state in
            if let result = state.result { return result }
            state.abandoned = true
            return nil
        }
    }
}

/// Reads gfapi's log while glfs_init runs, for a brick's refusal of this client
/// (`AuthRefusal`): lines of this volume's client xlators only (`0-VOL-client-N:`), since other
/// connects write to the same file.
enum RefusalWatch {
    /// How often the log is read during a connect.
    static let interval: Duration = .milliseconds(100)

    static func size(of path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Whether the log, from byte `offset` on, has a refusal of a client of `volume`.
    static func refused(volume: String, log path: String, from offset: Int) -> Bool {
        guard size(of: path) > offset, let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        let lines = text.split(separator: "\n").filter { $0.contains("-\(volume)-client-") }.map(String.init)
        return AuthRefusal.isRefusal(lines)
    }
}
