import HostIO

/// The process's open volume handles: one `GlusterVolumeHandle` per volume and set of servers,
/// opened on first use and reused after.
///
/// Interactive commands take a handle and exit without closing anything: glfs_fini costs ~11 s
/// (gluster/glusterfs#1962) and the process exit releases the connection just as well. A
/// long-lived process (the Docker plugin) calls `closeIdle(olderThan:)` now and then and
/// `shutdown()` at exit. Ask the cache again for every operation rather than keeping a handle:
/// the lookup is a dictionary access, and a handle kept past `closeIdle` throws `.handleClosed`.
public final class GlusterVolumes: Sendable {
    /// The process-wide cache, logging to `GlusterLog.default`, waiting `GlusterVolumeHandle.defaultTimeout` (20 s) for a connect.
    public static let shared = GlusterVolumes()

    /// A handle that `closeIdle` or `shutdown` closed, with glfs_fini's duration.
    public struct Closed: Sendable {
        public var address: GlusterVolumeAddress
        /// nil when the handle had been closed already.
        public var finiDuration: Duration?
    }

    private let cache: HandleCache<GlusterVolumeAddress.CacheKey, GlusterVolumeHandle>
    /// Where connects (server checks, glfs_init) and closes (glfs_fini) run: a pool of their own,
    /// so that a glfs_init gfapi keeps retrying (a refused client) or a slow glfs_fini never takes
    /// a thread from the caller's work; past its threads, connects queue and time out.
    private let pool: BlockingPool
    public let log: GlusterLog
    public let timeout: Duration

    /// - Parameters:
    ///   - log: where the handles' gfapi logs go.
    ///   - timeout: how long a connect may take (see `GlusterVolumeHandle.init`).
    ///   - threads: the threads of the connect and close pool.
    public init(log: GlusterLog = .default, timeout: Duration = GlusterVolumeHandle.defaultTimeout, threads: Int = 8) {
        self.log = log
        self.timeout = timeout
        self.pool = BlockingPool(threads: threads)
        self.cache = HandleCache(close: { await $0.close() })
    }

    /// The handle for `volume` on `servers`, connecting (glfs_init) only the first time; the
    /// connect's blocking steps run on the cache's own pool, and the caller's task is suspended,
    /// never blocked, while it or another caller's connect is under way.
    ///
    /// Concurrent first calls for one volume share a single connect. Failures are not cached.
    /// - Parameter timeout: overrides the cache's connect timeout for this call.
    /// - Throws: `GlusterAPIError` from the connect (see `GlusterVolumeHandle.init`), or of kind
    ///   `.handleClosed` after `shutdown()`; `CancellationError` when the caller is cancelled.
    public func handle(
        volume: String, servers: [String], port: Int = GlusterVolumeAddress.defaultPort,
        transport: GlusterVolumeAddress.Transport = .tcp, timeout: Duration? = nil
    ) async throws -> GlusterVolumeHandle {
        try await handle(
            GlusterVolumeAddress(volume: volume, servers: servers, port: port, transport: transport), timeout: timeout)
    }

    /// The handle for `address`; see `handle(volume:servers:port:transport:timeout:)`.
    public func handle(_ address: GlusterVolumeAddress, timeout: Duration? = nil) async throws -> GlusterVolumeHandle {
        let (log, wait, pool) = (self.log, timeout ?? self.timeout, self.pool)
        do {
            // The first caller's server order decides where glfs_init starts.
            return try await cache.handle(for: address.cacheKey, waitLimit: wait + .seconds(10)) { _ in
                try await GlusterVolumeHandle.connect(address, log: log, timeout: wait, on: pool)
            }
        } catch {
            throw Self.connectError(error, address)
        }
    }

    /// The cache's own errors as gfapi errors that name the volume and what to do.
    private static func connectError(_ error: any Error, _ address: GlusterVolumeAddress) -> any Error {
        switch error {
        case let error as HandleCacheWaitTimedOut:
            return GlusterAPIError(
                operation: .connect, kind: .timedOut, volume: address.volume, path: nil, errno: nil,
                message:
                    "cannot connect to volume \(address.volume): another connect to it did not finish within \(error.waited); check that its servers answer"
            )
        case is HandleCacheShutDown:
            return GlusterAPIError(
                operation: .connect, kind: .handleClosed, volume: address.volume, path: nil, errno: nil,
                message:
                    "cannot connect to volume \(address.volume): this process is shutting down its gfapi connections")
        default:
            return error
        }
    }

    /// The volumes with an open handle.
    public var openVolumes: [GlusterVolumeAddress] {
        cache.openHandles.values.map(\.address)
    }

    /// Closes (glfs_fini) the handles not asked for during the last `age`, concurrently; returns
    /// once they are closed (~11 s if there were any).
    @discardableResult
    public func closeIdle(olderThan age: Duration) async -> [Closed] {
        await cache.closeIdle(olderThan: age).map {
            Closed(address: $0.handle.address, finiDuration: $0.duration)
        }
    }

    /// Closes every handle concurrently and refuses new ones; for a daemon's exit. Takes ~11 s
    /// when any handle was open.
    @discardableResult
    public func shutdown() async -> [Closed] {
        await cache.shutdown().map { Closed(address: $0.handle.address, finiDuration: $0.duration) }
    }
}
