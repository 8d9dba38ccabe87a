internal import CGlusterAPI
import Foundation
public import HostIO
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
/// Thread-safe: any number of calls may run at once (gfapi is multi-threaded); `close()` frees the
/// connection once the calls in flight have returned, and calls after it throw `GlusterAPIError`
/// of kind `.handleClosed`.
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

    /// Where glfs_fini runs (`close()`, or deinit when nobody closed the handle).
    private let finisher: BlockingPool

    /// The open `glfs_t` and the calls using it.
    private let use: Mutex<Use>

    private struct Use {
        /// nil once `close()` began.
        var fs: UncheckedHandle?
        var inFlight = 0
        /// What `close()` left to do once the last call in flight returns: glfs_fini.
        var whenDrained: (@Sendable () -> Void)?
    }

    /// What `close()` found.
    private enum Closing {
        case alreadyClosed
        case finishNow(UncheckedHandle)
        case afterCallsInFlight
    }

    /// Connects to a volume: glfs_new, glfs_set_volfile_server (once per server), glfs_set_logging,
    /// glfs_init; each blocking step is a job on `pool`, and the caller's task waits for glfs_init
    /// by polling with `Task.sleep`.
    ///
    /// First every server gets a TCP connect, all at once (`VolfileServerCheck`): servers that answer
    /// are handed to gfapi first, since gfapi itself spends 3 s (refused, unreachable) to 42 s
    /// (packets dropped) on a dead server before it tries the next. `timeout` holds for the whole
    /// connect: after it (or a cancellation, or a refusal in gfapi's log) the glfs_init job is left
    /// to finish and clean up on its own (glfs_fini), holding its pool thread until then.
    /// - Parameters:
    ///   - servers: glusterd hosts; the first is preferred, the others are backups.
    ///   - log: where gfapi logs (see `GlusterLog`).
    ///   - timeout: how long to wait for glfs_init.
    /// - Throws: `GlusterAPIError` (operation `.connect`) of kind `.noSuchVolume` (ENOENT),
    ///   `.volumeOffline` (EIO: not started, bricks down), `.serversUnreachable` (no server accepts
    ///   a TCP connection within 5 s, or glfs_init's ENOTCONN), `.timedOut` (glfs_init did not
    ///   return within `timeout`), `.refused` (a brick refused this client), or `.invalidArgument`
    ///   for an unusable address; `CancellationError`.
    public static func connect(
        volume: String, servers: [String], port: Int = GlusterVolumeAddress.defaultPort,
        transport: GlusterVolumeAddress.Transport = .tcp, log: GlusterLog = .default,
        timeout: Duration = GlusterVolumeHandle.defaultTimeout, on pool: BlockingPool
    ) async throws -> GlusterVolumeHandle {
        try await connect(
            GlusterVolumeAddress(volume: volume, servers: servers, port: port, transport: transport), log: log,
            timeout: timeout, on: pool)
    }

    /// Connects to the volume at `address`; see `connect(volume:servers:port:transport:log:timeout:on:)`.
    public static func connect(
        _ address: GlusterVolumeAddress, log: GlusterLog = .default,
        timeout: Duration = GlusterVolumeHandle.defaultTimeout, on pool: BlockingPool
    ) async throws -> GlusterVolumeHandle {
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
            let check = await VolfileServerCheck.run(
                servers: servers, port: address.port, deadline: min(deadline, start + VolfileServerCheck.window),
                on: pool)
            guard check.anyReachable else {
                throw GlusterAPIError.unreachable(
                    volume: address.volume, port: address.port, servers: check.summary,
                    errno: check.allFailed ? ENOTCONN : ETIMEDOUT,
                    logFile: nil)
            }
            servers = check.order
        }
        let ordered = servers
        let setup = try await pool.run("setting up gfapi for volume \(address.volume)", seconds: 30) {
            try Setup(address, servers: ordered, log: log)
        }
        let attempt = InitAttempt(setup.fs)
        pool.submit { active in attempt.run(active: active) }
        // A brick that refuses this client (auth.allow, auth.ssl-allow) does not end glfs_init:
        // gfapi keeps retrying until the timeout. Its log says so at once, so watch it and give
        // up as soon as a refusal for this volume appears there.
        var outcome: (rc: Int32, errno: Int32)?
        while true {
            if let done = attempt.result {
                outcome = done
                break
            }
            if clock.now >= deadline || Task.isCancelled {
                outcome = attempt.abandon()
                break
            }
            if let logFile = setup.logFile,
                RefusalWatch.refused(volume: address.volume, log: logFile, from: setup.logStart)
            {
                guard let late = attempt.abandon() else {
                    throw GlusterAPIError.refused(volume: address.volume, servers: servers, logFile: logFile)
                }
                outcome = late
                break
            }
            try? await Task.sleep(for: min(RefusalWatch.interval, max(.zero, deadline - clock.now)))
        }
        guard let (rc, code) = outcome else {
            try Task.checkCancellation()
            throw GlusterAPIError.timedOut(
                volume: address.volume, servers: servers, after: timeout, logFile: setup.logFile)
        }
        guard rc == 0 else {
            // A failed glfs_init still owns threads and memory; glfs_fini frees them but can take
            // seconds (3 s measured for a stopped volume), so it runs where nobody waits for it.
            finishInBackground(setup.fs.fs, on: pool)
            throw GlusterAPIError.connect(
                volume: address.volume, servers: servers, port: address.port, errno: code, logFile: setup.logFile)
        }
        return GlusterVolumeHandle(
            address: address, logFile: setup.logFile, fs: setup.fs.fs, initDuration: clock.now - start, pool: pool)
    }

    private init(
        address: GlusterVolumeAddress, logFile: String?, fs: OpaquePointer, initDuration: Duration,
        pool: BlockingPool
    ) {
        self.address = address
        self.logFile = logFile
        self.use = Mutex(Use(fs: UncheckedHandle(fs)))
        self.initDuration = initDuration
        self.finisher = pool
    }

    /// glfs_new, glfs_set_volfile_server for each server, glfs_set_logging: a `glfs_t` ready for
    /// glfs_init (blocking, on a pool thread).
    private struct Setup: Sendable {
        let fs: UncheckedHandle
        let logFile: String?
        let logStart: Int

        init(_ address: GlusterVolumeAddress, servers: [String], log: GlusterLog) throws {
            guard let fs = brickctl_glfs_new(address.volume) else {
                let code = Glibc.errno
                if let why = brickctl_glfs_load_error() {
                    throw GlusterAPIError.libraryMissing(volume: address.volume, reason: String(cString: why))
                }
                throw GlusterAPIError.connect(
                    volume: address.volume, servers: servers, port: address.port, errno: code, logFile: nil)
            }
            let port = Int32(address.transport == .tcp ? address.port : 0)
            for server in servers
            where brickctl_glfs_set_volfile_server(fs, address.transport.rawValue, server, port) != 0 {
                let code = Glibc.errno
                _ = brickctl_glfs_fini(fs)  // on this pool thread: nothing was started yet
                throw GlusterAPIError.connect(
                    volume: address.volume, servers: [server], port: address.port, errno: code, logFile: nil)
            }
            self.fs = UncheckedHandle(fs)
            logFile = GlusterVolumeHandle.setLogging(fs, log)
            logStart = logFile.map(RefusalWatch.size(of:)) ?? 0
        }
    }

    /// Releases the handle if `close()` was not called, without making the releasing thread wait
    /// for glfs_fini (~11 s): it runs as a job on the pool that connected it. A process that exits
    /// meanwhile simply drops it.
    deinit {
        if let fs = use.withLock({ $0.fs }) { Self.finishInBackground(fs.fs, on: finisher) }
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { use.withLock { $0.fs == nil } }

    /// Closes the connection: glfs_fini as a job on the pool that connected it, once the calls in
    /// flight have returned; returns how long glfs_fini took (~11 s on glusterfs 10.3). The
    /// caller's task waits at most `limit` (`awaitCallback`); glfs_fini still runs after that.
    ///
    /// Calls in flight end within gfapi's own timeouts (ping-timeout, call-bail); should one hang,
    /// the connection is left open until it returns rather than freed under it. Never call this on
    /// an interactive path; see the type's summary.
    /// - Returns: nil when already closed, when the pool is shut down, or after `limit`.
    @discardableResult
    public func close(within limit: Duration = .seconds(120)) async -> Duration? {
        let pool = finisher
        let what = "closing volume \(volume)"
        return try? await awaitCallback(
            within: limit, timedOut: BlockingPool.TimedOut(what: what, seconds: Double(limit.components.seconds))
        ) { (deliver: @escaping @Sendable (Result<Duration?, any Error>) -> Void) in
            let finish: @Sendable (UncheckedHandle) -> Void = { doomed in
                Self.finishInBackground(doomed.fs, on: pool) { deliver(.success($0)) }
            }
            let step: Closing = use.withLock { use in
                guard let fs = use.fs else { return .alreadyClosed }
                use.fs = nil
                guard use.inFlight == 0 else {
                    use.whenDrained = { finish(fs) }
                    return .afterCallsInFlight
                }
                return .finishNow(fs)
            }
            switch step {
            case .alreadyClosed: deliver(.success(nil))
            case .finishNow(let fs): finish(fs)
            case .afterCallsInFlight: break  // the last call in flight finishes it
            }
        }
    }

    /// Runs `body` with the open `glfs_t`, keeping `close()` from freeing it meanwhile.
    /// - Throws: `.handleClosed` when already closed, or what `body` throws.
    func withOpenVolume<T>(_ operation: GlusterAPIError.Operation, path: String?, _ body: (OpaquePointer) throws -> T)
        throws -> T
    {
        let open = use.withLock { use in
            if use.fs != nil { use.inFlight += 1 }
            return use.fs
        }
        guard let open else { throw GlusterAPIError.closed(operation: operation, volume: volume, path: path) }
        defer {
            let drained = use.withLock { use in
                use.inFlight -= 1
                guard use.inFlight == 0 else { return nil as (@Sendable () -> Void)? }
                defer { use.whenDrained = nil }
                return use.whenDrained
            }
            drained?()
        }
        return try body(open.fs)
    }

    /// The error for the calling thread's errno after a failed call on `path`.
    func failure(_ operation: GlusterAPIError.Operation, _ path: String) -> GlusterAPIError {
        GlusterAPIError(operation: operation, volume: volume, path: path, errno: Glibc.errno)
    }

    // MARK: - Setup helpers

    /// glfs_set_logging to the requested file, falling back to /dev/null; returns the file in use.
    fileprivate static func setLogging(_ fs: OpaquePointer, _ log: GlusterLog) -> String? {
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

    /// glfs_fini as a pool job, for a handle nobody will wait for (after the pool's shutdown it
    /// is left to the process exit).
    /// glfs_fini as a job on `pool`; `done` gets how long it took (nil when the pool was shut down).
    private static func finishInBackground(
        _ fs: OpaquePointer, on pool: BlockingPool, then done: @escaping @Sendable (Duration?) -> Void = { _ in }
    ) {
        let doomed = UncheckedHandle(fs)
        pool.submit { active in
            guard active else { return done(nil) }
            let clock = ContinuousClock()
            let start = clock.now
            _ = brickctl_glfs_fini(doomed.fs)
            done(clock.now - start)
        }
    }
}

/// A `glfs_t` handed to another thread; only ever used by one thread at a time.
private struct UncheckedHandle: @unchecked Sendable {
    let fs: OpaquePointer
    init(_ fs: OpaquePointer) { self.fs = fs }
}

/// One glfs_init as a pool job, which the caller polls and may stop waiting for.
///
/// When the caller gives up, the job keeps the `glfs_t`: once glfs_init returns it calls
/// glfs_fini itself, so nothing leaks and nobody waits.
private final class InitAttempt: Sendable {
    private let fs: UncheckedHandle
    /// glfs_init's rc and errno once it returned; whether the caller stopped waiting.
    private let state = Mutex<(result: (rc: Int32, errno: Int32)?, abandoned: Bool)>((nil, false))

    init(_ fs: UncheckedHandle) { self.fs = fs }

    /// On the pool's thread (`active` false: the pool is shut down, glfs_init never runs).
    func run(active: Bool) {
        let rc = active ? brickctl_glfs_init(fs.fs) : -1
        let code = rc == 0 ? 0 : (active ? Glibc.errno : ESHUTDOWN)
        let nobodyWaits = state.withLock { state in
            state.result = (rc, code)
            return state.abandoned
        }
        if nobodyWaits { _ = brickctl_glfs_fini(fs.fs) }
    }

    /// glfs_init's rc and errno once it returned.
    var result: (rc: Int32, errno: Int32)? { state.withLock { $0.result } }

    /// The caller stops waiting; the job then owns the handle. Returns the result when glfs_init
    /// finished meanwhile (the caller owns the handle after all).
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
