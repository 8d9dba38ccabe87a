import Dispatch
import Foundation
import HostIO
import Synchronization

/// Expensive-to-open, expensive-to-close handles, opened once per key and reused (the machinery
/// of `GlusterVolumes`, generic so that its locking is unit-tested with fake handles).
///
/// - One open per key at a time: concurrent callers for a key that is being opened wait for that
///   open and share its result. A failed open is not remembered; the next call tries again.
/// - Two ways in, one set of rules: `handle(for:waitLimit:open:)` blocks its thread (one-shot
///   commands); `handle(for:waitLimit:on:open:)` suspends its task and opens on a `BlockingPool`
///   (the plugin). Waiting callers of either kind are called back when the open ends.
/// - `closeIdle` and `shutdown` close handles concurrently, one thread each, so n handles cost one
///   close time, not n.
/// - After `shutdown`, `handle(for:)` throws `HandleCacheShutDown`; an open that was under way
///   closes its handle itself when it finishes.
///
/// The rules live in `HandleCacheStateMachine` (a value); this class runs its actions: the open,
/// the waits (each with a deadline), the closes.
final class HandleCache<Key: Hashable & Sendable, Handle: AnyObject & Sendable>: Sendable {
    typealias Open = (Key) throws -> Handle
    /// Closes a handle and says how long that took (nil: it was closed already).
    typealias Close = @Sendable (Handle) -> Duration?
    /// Hands one waiting caller the outcome of the open it waits for.
    typealias Deliver = @Sendable (Result<Handle, any Error>) -> Void

    /// A handle that was closed, and how long closing it took.
    struct Closed: Sendable {
        var key: Key
        var handle: Handle
        var duration: Duration?
    }

    private struct State: Sendable {
        var machine = HandleCacheStateMachine<Key, Handle>()
        /// The callers waiting for each open, by waiter number.
        var waiting: [HandleCacheStateMachine<Key, Handle>.AttemptID: [Int: Deliver]] = [:]
        var nextWaiter = 0
    }

    private typealias AttemptID = HandleCacheStateMachine<Key, Handle>.AttemptID
    private typealias Lookup = HandleCacheStateMachine<Key, Handle>.LookupAction

    private let close: Close
    private let clock = ContinuousClock()
    private let state = Mutex(State())

    init(close: @escaping Close) {
        self.close = close
    }

    // MARK: Blocking

    /// The open handle for `key`, opening it with `open` on this thread first if there is none.
    ///
    /// A caller that finds the key being opened by another waits for that open, at most `waitLimit`
    /// (the opener's own deadline plus a margin: `open` is bounded by its caller).
    /// - Throws: what `open` throws, `HandleCacheShutDown`, or `HandleCacheWaitTimedOut`.
    func handle(for key: Key, waitLimit: Duration = .seconds(60), open: Open) throws -> Handle {
        switch lookup(key, joining: false) {
        case .refuse: throw HandleCacheShutDown()
        case .use(let handle): return handle
        case .open(let attempt): return try finishOpen(key, attempt: attempt, Result { try open(key) }).get()
        case .wait(let attempt):
            let outcome = Outcome()
            let arrived = DispatchSemaphore(value: 0)
            guard
                let waiter = register(
                    attempt,
                    { result in
                        outcome.set(result)
                        arrived.signal()
                    })
            else { return try outcome.get() }
            if arrived.wait(timeout: .now() + .nanoseconds(Int(waitLimit / .nanoseconds(1)))) == .timedOut {
                if giveUp(attempt, waiter: waiter) { throw HandleCacheWaitTimedOut(waited: waitLimit) }
                // Delivered just as the deadline passed: the signal comes at once.
                arrived.wait()
            }
            return try outcome.get()
        }
    }

    // MARK: Async

    /// The open handle for `key`, opening it with `open` on `pool` first if there is none. The
    /// caller's task is suspended, never blocked, while it waits for its own open or another's.
    ///
    /// - Parameter waitLimit: how long to wait for the open (this caller's or another's). An open
    ///   that outlives it still ends on the pool, and its handle is cached for the next call.
    /// - Throws: what `open` throws, `HandleCacheShutDown`, or `HandleCacheWaitTimedOut`.
    func handle(
        for key: Key, waitLimit: Duration = .seconds(60), on pool: BlockingPool,
        open: @escaping @Sendable (Key) throws -> Handle
    ) async throws -> Handle {
        let attempt: AttemptID
        switch lookup(key, joining: true) {
        case .refuse: throw HandleCacheShutDown()
        case .use(let handle): return handle
        case .wait(let waited): attempt = waited
        case .open(let opened):
            // The opener waits like the others (`joining`); the open reports to all of them.
            attempt = opened
            pool.submit { active in
                let result =
                    active ? Result { try open(key) } : .failure(HandleCacheShutDown())
                _ = self.finishOpen(key, attempt: attempt, result)
            }
        }
        return try await waitAsync(for: attempt, limit: waitLimit)
    }

    private func waitAsync(for attempt: AttemptID, limit: Duration) async throws -> Handle {
        let timer = TimerSlot()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Handle, any Error>) in
            guard
                let waiter = register(
                    attempt,
                    { result in
                        timer.cancel()
                        continuation.resume(with: result)
                    })
            else { return }
            timer.start {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled, self.giveUp(attempt, waiter: waiter) {
                    continuation.resume(throwing: HandleCacheWaitTimedOut(waited: limit))
                }
            }
        }
    }

    // MARK: The rules, under the lock

    /// Looks `key` up; with `joining`, a caller told to open also counts as a waiter of its open.
    private func lookup(_ key: Key, joining: Bool) -> Lookup {
        state.withLock { state in
            let action = state.machine.lookup(key, now: clock.now)
            if joining, case .open = action { _ = state.machine.lookup(key, now: clock.now) }
            return action
        }
    }

    /// Registers `deliver` for the outcome of `attempt`; nil when the outcome was there already
    /// and `deliver` has been called.
    private func register(_ attempt: AttemptID, _ deliver: @escaping Deliver) -> Int? {
        let (waiter, ready): (Int?, Result<Handle, any Error>?) = state.withLock { state in
            if let result = state.machine.result(of: attempt) { return (nil, result) }
            let waiter = state.nextWaiter
            state.nextWaiter += 1
            state.waiting[attempt, default: [:]][waiter] = deliver
            return (waiter, nil)
        }
        if let ready { deliver(ready) }
        return waiter
    }

    /// A waiter's deadline passed: true if it was still waiting (it leaves), false if its outcome
    /// has been delivered already.
    private func giveUp(_ attempt: AttemptID, waiter: Int) -> Bool {
        state.withLock { state in
            guard state.waiting[attempt]?.removeValue(forKey: waiter) != nil else { return false }
            if state.waiting[attempt]?.isEmpty == true { state.waiting[attempt] = nil }
            state.machine.stopWaiting(for: attempt)
            return true
        }
    }

    /// An open ended: the machine decides, every waiter gets its outcome, a handle that came
    /// after shutdown is closed. Returns the opener's own outcome.
    private func finishOpen(_ key: Key, attempt: AttemptID, _ result: Result<Handle, any Error>)
        -> Result<Handle, any Error>
    {
        let (action, deliveries) = state.withLock { state in
            let action = state.machine.opened(key, attempt: attempt, result, now: clock.now)
            let waiters = state.waiting.removeValue(forKey: attempt) ?? [:]
            let deliveries = waiters.values.compactMap { deliver in
                state.machine.result(of: attempt).map { (deliver, $0) }
            }
            return (action, deliveries)
        }
        for (deliver, outcome) in deliveries { deliver(outcome) }
        switch action {
        case .use(let handle): return .success(handle)
        case .fail(let error): return .failure(error)
        case .closeAndRefuse(let handle):
            _ = close(handle)
            return .failure(HandleCacheShutDown())
        }
    }

    // MARK: Closing

    /// The open handles (not those being opened).
    var openHandles: [Key: Handle] {
        state.withLock { $0.machine.openHandles }
    }

    /// Closes the handles nobody asked for during the last `age`, concurrently, and returns them.
    /// Handles being opened are left alone.
    func closeIdle(olderThan age: Duration) -> [Closed] {
        closeConcurrently(state.withLock { $0.machine.takeIdle(olderThan: age, now: clock.now) })
    }

    /// Closes every open handle, concurrently, refuses new ones, and returns what it closed.
    func shutdown() -> [Closed] {
        closeConcurrently(state.withLock { $0.machine.shutDown() })
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

    /// A blocking waiter's outcome, set by whoever delivers it.
    private final class Outcome: Sendable {
        private let value = Mutex<Result<Handle, any Error>?>(nil)
        func set(_ result: Result<Handle, any Error>) { value.withLock { $0 = result } }
        func get() throws -> Handle {
            guard let result = value.withLock({ $0 }) else { throw HandleCacheShutDown() }
            return try result.get()
        }
    }

    /// An async waiter's deadline timer, cancelled when its outcome arrives first.
    private final class TimerSlot: Sendable {
        private let task = Mutex<Task<Void, Never>?>(nil)
        private let cancelled = Mutex(false)
        func start(_ body: @escaping @Sendable () async -> Void) {
            let timer = Task { await body() }
            let already = cancelled.withLock { $0 }
            if already { timer.cancel() } else { task.withLock { $0 = timer } }
        }
        func cancel() {
            cancelled.withLock { $0 = true }
            task.withLock { $0?.cancel() }
        }
    }
}

/// `HandleCache.handle(for:)` after `shutdown()`.
struct HandleCacheShutDown: Error {}

/// `HandleCache.handle(for:)` waited for another caller's open longer than its limit.
struct HandleCacheWaitTimedOut: Error {
    var waited: Duration
}
