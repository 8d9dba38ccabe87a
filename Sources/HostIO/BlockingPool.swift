import NIOPosix

/// Runs blocking work (gfapi, the gluster CLI, `mount`, file system calls that may hang on a dead
/// FUSE mount) on a bounded pool of threads, never on Swift's cooperative threads, with a deadline
/// on every wait. This is how the domains give their blocking calls async entry points.
///
/// The model is swift-nio's `NIOThreadPool.runIfActive`: the caller's task awaits the work, and its
/// cancellation reaches the wait (`withTaskCancellationHandler`). A call whose deadline passes, or
/// whose task is cancelled, returns at once; its thread stays busy until the blocking call returns,
/// and that late result is dropped.
public final class BlockingPool: Sendable {
    private let pool: NIOThreadPool

    /// The process's pool for one-shot commands (started on first use, never shut down: the
    /// process exit ends it). A long-lived server makes its own and shuts it down.
    public static let shared = BlockingPool(threads: 4)

    public init(threads: Int = 8) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }

    /// `run` gave up waiting: `what` did not finish within `seconds`.
    public struct TimedOut: Error, CustomStringConvertible, Sendable {
        public var what: String
        public var seconds: Double
        public var description: String { "\(what) did not finish within \(Int(seconds)) s" }

        public init(what: String, seconds: Double) {
            self.what = what
            self.seconds = seconds
        }
    }

    /// Runs `body` on the pool and returns its result; the caller's task waits (`awaitCallback`:
    /// the deadline and the caller's cancellation end the wait at once).
    /// - Throws: what `body` throws; `TimedOut` naming `what` after `seconds`; `CancellationError`
    ///   when the caller's task is cancelled; NIO's `NIOThreadPoolError.ThreadPoolInactive` after
    ///   `shutdown()`.
    public func run<T: Sendable>(
        _ what: String, seconds: Double, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await awaitCallback(
            within: .milliseconds(Int((seconds * 1000).rounded(.up))),
            timedOut: TimedOut(what: what, seconds: seconds)
        ) { deliver in
            pool.submit { state in
                guard state == .active else { return deliver(.failure(NIOThreadPoolError.ThreadPoolInactive())) }
                deliver(Result { try body() })
            }
        }
    }

    /// Starts `body` on the pool and returns at once; `body` learns whether the pool still runs
    /// (false after `shutdown()`: it must only report that it did not run).
    public func submit(_ body: @escaping @Sendable (_ active: Bool) -> Void) {
        pool.submit { state in body(state == .active) }
    }
}
