import HostIO
import Synchronization

/// Expensive-to-open, expensive-to-close handles, opened once per key and reused (the machinery
/// of `GlusterVolumes`, generic so that its locking is unit-tested with fake handles).
///
/// - One open per key at a time: concurrent callers for a key that is being opened wait for that
///   open and share its result. A failed open is not remembered; the next call tries again.
/// - One way in, `handle(for:waitLimit:open:)`: the caller's task is suspended, never blocked,
///   while the open (async: its blocking steps are pool jobs) runs in a task of its own; waiting
///   callers are called back when the open ends, and each waits with its own deadline
///   (`awaitCallback`).
/// - `closeIdle` and `shutdown` close handles concurrently, so n handles cost one close time, not n.
/// - After `shutdown`, `handle(for:)` throws `HandleCacheShutDown`; an open that was under way
///   closes its handle itself when it finishes.
///
/// The rules live in `HandleCacheStateMachine` (a value); this class runs its actions: the open,
/// the waits (each with a deadline), the closes.
final class HandleCache<Key: Hashable & Sendable, Handle: AnyObject & Sendable>: Sendable {
    /// Closes a handle and says how long that took (nil: it was closed already, or the close did
    /// not finish within its own limit). It runs its blocking part on a pool, never on the caller's
    /// thread.
    typealias Close = @Sendable (Handle) async -> Duration?
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

    // MARK: Async

    /// The open handle for `key`, opening it with `open` first if there is none. The caller's task
    /// is suspended, never blocked, while it waits for its own open or another's.
    ///
    /// The open runs in a task of its own, not the caller's: every caller waiting for it shares its
    /// outcome, and it still ends (its handle cached for the next call) when they all left.
    /// - Parameters:
    ///   - waitLimit: how long to wait for the open (this caller's or another's).
    /// - Throws: what `open` throws, `HandleCacheShutDown`, `HandleCacheWaitTimedOut`, or
    ///   `CancellationError`.
    func handle(
        for key: Key, waitLimit: Duration = .seconds(60), open: @escaping @Sendable (Key) async throws -> Handle
    ) async throws -> Handle {
        let attempt: AttemptID
        switch lookup(key, joining: true) {
        case .refuse: throw HandleCacheShutDown()
        case .use(let handle): return handle
        case .wait(let waited): attempt = waited
        case .open(let opened):
            // The opener waits like the others (`joining`); the open reports to all of them.
            attempt = opened
            Task {
                let result: Result<Handle, any Error>
                do { result = .success(try await open(key)) } catch { result = .failure(error) }
                await self.finishOpen(key, attempt: attempt, result)
            }
        }
        return try await waitAsync(for: attempt, limit: waitLimit)
    }

    private func waitAsync(for attempt: AttemptID, limit: Duration) async throws -> Handle {
        var waiter: Int?
        do {
            return try await awaitCallback(within: limit, timedOut: HandleCacheWaitTimedOut(waited: limit)) {
                deliver in waiter = register(attempt, deliver)
            }
        } catch {
            // The deadline or a cancellation: this caller leaves the open's waiters (the open
            // itself goes on, and its handle is cached for the next call).
            if let waiter { _ = giveUp(attempt, waiter: waiter) }
            throw error
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
    /// after shutdown is closed.
    private func finishOpen(_ key: Key, attempt: AttemptID, _ result: Result<Handle, any Error>) async {
        let (action, deliveries) = state.withLock { state in
            let action = state.machine.opened(key, attempt: attempt, result, now: clock.now)
            let waiters = state.waiting.removeValue(forKey: attempt) ?? [:]
            let deliveries = waiters.values.compactMap { deliver in
                state.machine.result(of: attempt).map { (deliver, $0) }
            }
            return (action, deliveries)
        }
        for (deliver, outcome) in deliveries { deliver(outcome) }
        if case .closeAndRefuse(let handle) = action { _ = await close(handle) }
    }

    /// Callers waiting for an open (for tests that order events).
    var waitingCallers: Int {
        state.withLock { $0.waiting.values.reduce(0) { $0 + $1.count } }
    }

    // MARK: Closing

    /// The open handles (not those being opened).
    var openHandles: [Key: Handle] {
        state.withLock { $0.machine.openHandles }
    }

    /// Closes the handles nobody asked for during the last `age`, concurrently, and returns them.
    /// Handles being opened are left alone.
    func closeIdle(olderThan age: Duration) async -> [Closed] {
        await closeConcurrently(state.withLock { $0.machine.takeIdle(olderThan: age, now: clock.now) })
    }

    /// Closes every open handle, concurrently, refuses new ones, and returns what it closed.
    func shutdown() async -> [Closed] {
        await closeConcurrently(state.withLock { $0.machine.shutDown() })
    }

    /// One close per handle, side by side (glfs_fini mostly sleeps, ~11 s); a close that did not
    /// finish within its own limit is not reported.
    private func closeConcurrently(_ handles: [(Key, Handle)]) async -> [Closed] {
        let close = self.close
        return await withTaskGroup(of: Closed?.self) { group in
            for (key, handle) in handles {
                let job = CloseJob(key: key, handle: handle)
                group.addTask {
                    guard let duration = await close(job.handle) else { return nil }
                    return Closed(key: job.key, handle: job.handle, duration: duration)
                }
            }
            return await group.reduce(into: [Closed]()) { closed, one in one.map { closed.append($0) } }
        }
    }

    private struct CloseJob: Sendable {
        var key: Key
        var handle: Handle
    }
}

/// `HandleCache.handle(for:)` after `shutdown()`.
struct HandleCacheShutDown: Error {}

/// `HandleCache.handle(for:)` waited for another caller's open longer than its limit.
struct HandleCacheWaitTimedOut: Error {
    var waited: Duration
}
