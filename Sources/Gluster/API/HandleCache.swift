import Dispatch
import Foundation
import Synchronization

/// Expensive-to-open, expensive-to-close handles, opened once per key and reused (the machinery
/// of `GlusterVolumes`, generic so that its locking is unit-tested with fake handles).
///
/// - One open per key at a time: concurrent callers for a key that is being opened wait for that
///   open and share its result. A failed open is not remembered; the next call tries again.
/// - `closeIdle` and `shutdown` close handles concurrently, one thread each, so n handles cost one
///   close time, not n.
/// - After `shutdown`, `handle(for:)` throws `HandleCacheShutDown`; an open that was under way
///   closes its handle itself when it finishes.
///
/// The rules live in `HandleCacheStateMachine` (a value); this class runs its actions: the open,
/// the waits (on a condition, with a deadline), the closes.
final class HandleCache<Key: Hashable & Sendable, Handle: AnyObject & Sendable>: @unchecked Sendable {
    // @unchecked: `machine` is only touched with `condition` locked.
    typealias Open = (Key) throws -> Handle
    /// Closes a handle and says how long that took (nil: it was closed already).
    typealias Close = @Sendable (Handle) -> Duration?

    /// A handle that was closed, and how long closing it took.
    struct Closed: Sendable {
        var key: Key
        var handle: Handle
        var duration: Duration?
    }

    private let close: Close
    private let clock = ContinuousClock()
    /// Guards `machine`; broadcast when an open ends.
    private let condition = NSCondition()
    private var machine = HandleCacheStateMachine<Key, Handle>()

    init(close: @escaping Close) {
        self.close = close
    }

    /// The open handle for `key`, opening it with `open` first if there is none.
    ///
    /// A caller that finds the key being opened by another waits for that open, at most `waitLimit`
    /// (the opener's own deadline plus a margin: `open` is bounded by its caller).
    /// - Throws: what `open` throws, `HandleCacheShutDown`, or `HandleCacheWaitTimedOut`.
    func handle(for key: Key, waitLimit: Duration = .seconds(60), open: Open) throws -> Handle {
        condition.lock()
        switch machine.lookup(key, now: clock.now) {
        case .refuse:
            condition.unlock()
            throw HandleCacheShutDown()
        case .use(let handle):
            condition.unlock()
            return handle
        case .wait(let attempt):
            let seconds = Double(waitLimit.components.seconds) + Double(waitLimit.components.attoseconds) / 1e18
            let deadline = Date(timeIntervalSinceNow: seconds)
            while true {
                if let result = machine.result(of: attempt) {
                    condition.unlock()
                    return try result.get()
                }
                if !condition.wait(until: deadline) {
                    if let result = machine.result(of: attempt) {
                        condition.unlock()
                        return try result.get()
                    }
                    machine.stopWaiting(for: attempt)
                    condition.unlock()
                    throw HandleCacheWaitTimedOut(waited: waitLimit)
                }
            }
        case .open(let attempt):
            condition.unlock()
            let result = Result { try open(key) }
            condition.lock()
            let action = machine.opened(key, attempt: attempt, result, now: clock.now)
            condition.broadcast()
            condition.unlock()
            switch action {
            case .use(let handle): return handle
            case .fail(let error): throw error
            case .closeAndRefuse(let handle):
                _ = close(handle)
                throw HandleCacheShutDown()
            }
        }
    }

    /// The open handles (not those being opened).
    var openHandles: [Key: Handle] {
        condition.lock()
        defer { condition.unlock() }
        return machine.openHandles
    }

    /// Closes the handles nobody asked for during the last `age`, concurrently, and returns them.
    /// Handles being opened are left alone.
    func closeIdle(olderThan age: Duration) -> [Closed] {
        condition.lock()
        let idle = machine.takeIdle(olderThan: age, now: clock.now)
        condition.unlock()
        return closeConcurrently(idle)
    }

    /// Closes every open handle, concurrently, refuses new ones, and returns what it closed.
    func shutdown() -> [Closed] {
        condition.lock()
        let all = machine.shutDown()
        condition.unlock()
        return closeConcurrently(all)
    }

    /// One thread per handle (not Dispatch's pool, which runs only as many at once as there are
    /// cores, while glfs_fini mostly sleeps).
    private func closeConcurrently(_ handles: [(Key, Handle)]) -> [Closed] {
        guard !handles.isEmpty else { return [] }
        let results = ClosedList()
        let group = DispatchGroup()
        let close = self.close
        for (key, handle) in handles {
            group.enter()
            let job = CloseJob(key: key, handle: handle)
            let thread = Thread {
                let duration = close(job.handle)
                results.list.withLock { $0.append(Closed(key: job.key, handle: job.handle, duration: duration)) }
                group.leave()
            }
            thread.name = "handle-close"
            thread.start()
        }
        // glfs_fini takes ~11 s here; one that hangs must not hang the caller: what did not finish
        // in time is left to its thread and not reported.
        _ = group.wait(timeout: .now() + .seconds(120))
        return results.list.withLock { $0 }
    }

    private struct CloseJob: Sendable {
        var key: Key
        var handle: Handle
    }

    /// What the closing threads report (a class: the threads' closures escape).
    private final class ClosedList: Sendable {
        let list = Mutex<[Closed]>([])
    }
}

/// `HandleCache.handle(for:)` after `shutdown()`.
struct HandleCacheShutDown: Error {}

/// `HandleCache.handle(for:)` waited for another caller's open longer than its limit.
struct HandleCacheWaitTimedOut: Error {
    var waited: Duration
}
