import NIOPosix
import Synchronization

/// Runs blocking work (gfapi, the gluster CLI, `mount`, file system calls that may hang on a dead
/// FUSE mount) on a bounded pool of threads, never on Swift's cooperative threads, with a deadline
/// on every wait. This is how the domains give their blocking calls async entry points.
///
/// The model is swift-nio's `NIOThreadPool.runIfActive`. A call whose deadline passes throws
/// `BlockingPool.TimedOut` at once; its thread stays busy until the blocking call returns.
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
    }

    /// Runs `body` on the pool and returns its result.
    /// - Throws: what `body` throws; `TimedOut` naming `what` after `seconds`; NIO's
    ///   `NIOThreadPoolError.ThreadPoolInactive` after `shutdown()`.
    public func run<T: Sendable>(
        _ what: String, seconds: Double, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let race = Race(continuation)
            let work = pool
            Task {
                do {
                    race.finish(.success(try await work.runIfActive(body)))
                } catch {
                    race.finish(.failure(error))
                }
            }
            race.timer = Task {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                if !Task.isCancelled {
                    race.finish(.failure(TimedOut(what: what, seconds: seconds)))
                }
            }
        }
    }

    /// Starts `body` on the pool and returns at once; `body` learns whether the pool still runs
    /// (false after `shutdown()`: it must only report that it did not run).
    public func submit(_ body: @escaping @Sendable (_ active: Bool) -> Void) {
        pool.submit { state in body(state == .active) }
    }

    /// Whichever of the work and the timer ends first resumes the caller; the other is ignored.
    private final class Race<T: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<T, any Error>?>
        private let timerTask = Mutex<Task<Void, Never>?>(nil)
        init(_ continuation: CheckedContinuation<T, any Error>) {
            self.continuation = Mutex(continuation)
        }
        /// The timer, cancelled as soon as the work ends (no sleeping task is left per call).
        var timer: Task<Void, Never>? {
            get { timerTask.withLock { $0 } }
            set {
                let finished = continuation.withLock { $0 == nil }
                if finished { newValue?.cancel() } else { timerTask.withLock { $0 = newValue } }
            }
        }
        func finish(_ result: Result<T, any Error>) {
            continuation.withLock { pending in
                pending?.resume(with: result)
                pending = nil
            }
            timerTask.withLock { $0?.cancel() }
        }
    }
}
