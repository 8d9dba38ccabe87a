import Dispatch
import Foundation

/// Expensive-to-open, expensive-to-close handles, opened once per key and reused (the machinery
/// of `GlusterVolumes`, generic so that its locking is unit-tested with fake handles).
///
/// - One open per key at a time: concurrent callers for a key that is being opened wait for that
///   open and share its result. A failed open is not remembered; the next call tries again.
/// - `closeIdle` and `shutdown` close handles concurrently, one thread each, so n handles cost one
///   close time, not n.
/// - After `shutdown`, `handle(for:)` throws `HandleCacheShutDown`; an open that was under way
///   closes its handle itself when it finishes.
final class HandleCache<Key: Hashable & Sendable, Handle: AnyObject & Sendable>: @unchecked Sendable {
    typealias Open = (Key) throws -> Handle
    /// Closes a handle and says how long that took (nil: it was closed already).
    typealias Close = @Sendable (Handle) -> Duration?

    /// A handle that was closed, and how long closing it took.
    struct Closed: Sendable {
        var key: Key
        var handle: Handle
        var duration: Duration?
    }

    private final class Attempt {
        var result: Result<Handle, any Error>?
    }

    private enum Entry {
        case opening(Attempt)
        case open(Handle, lastUsed: ContinuousClock.Instant)
    }

    private let close: Close
    private let clock = ContinuousClock()
    /// Guards `entries` and `isShutDown`, and every `Attempt.result`.
    private let condition = NSCondition()
    private var entries: [Key: Entry] = [:]
    private var isShutDown = false

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
        if isShutDown {
            condition.unlock()
            throw HandleCacheShutDown()
        }
        switch entries[key] {
        case .open(let handle, _):
            entries[key] = .open(handle, lastUsed: clock.now)
            condition.unlock()
            return handle
        case .opening(let attempt):
            var result = attempt.result
            let seconds = Double(waitLimit.components.seconds) + Double(waitLimit.components.attoseconds) / 1e18
            let deadline = Date(timeIntervalSinceNow: seconds)
            while result == nil {
                if !condition.wait(until: deadline) && attempt.result == nil {
                    condition.unlock()
                    throw HandleCacheWaitTimedOut(waited: waitLimit)
                }
                result = attempt.result
            }
            condition.unlock()
            return try Self.get(result)
        case nil:
            let attempt = Attempt()
            entries[key] = .opening(attempt)
            condition.unlock()

            let result = Result { try open(key) }

            condition.lock()
            attempt.result = result
            let lateForShutdown = isShutDown
            if case .success(let handle) = result, !lateForShutdown {
                entries[key] = .open(handle, lastUsed: clock.now)
            } else {
                entries[key] = nil
            }
            condition.broadcast()
            condition.unlock()
            if lateForShutdown, case .success(let handle) = result {
                _ = close(handle)
                throw HandleCacheShutDown()
            }
            return try result.get()
        }
    }

    /// The open handles (not those being opened).
    var openHandles: [Key: Handle] {
        condition.lock()
        defer { condition.unlock() }
        return entries.compactMapValues { entry in
            if case .open(let handle, _) = entry { return handle }
            return nil
        }
    }

    /// Closes the handles nobody asked for during the last `age`, concurrently, and returns them.
    /// Handles being opened are left alone.
    func closeIdle(olderThan age: Duration) -> [Closed] {
        let now = clock.now
        condition.lock()
        var idle: [(Key, Handle)] = []
        for (key, entry) in entries {
            if case .open(let handle, let lastUsed) = entry, now - lastUsed >= age {
                idle.append((key, handle))
                entries[key] = nil
            }
        }
        condition.unlock()
        return closeConcurrently(idle)
    }

    /// Closes every open handle, concurrently, refuses new ones, and returns what it closed.
    func shutdown() -> [Closed] {
        condition.lock()
        isShutDown = true
        var all: [(Key, Handle)] = []
        for (key, entry) in entries {
            if case .open(let handle, _) = entry {
                all.append((key, handle))
                entries[key] = nil
            }
        }
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
                results.append(Closed(key: job.key, handle: job.handle, duration: duration))
                group.leave()
            }
            thread.name = "handle-close"
            thread.start()
        }
        // glfs_fini takes ~11 s here; one that hangs must not hang the caller: what did not finish
        // in time is left to its thread and not reported.
        _ = group.wait(timeout: .now() + .seconds(120))
        return results.items
    }

    private static func get(_ result: Result<Handle, any Error>?) throws -> Handle {
        switch result {
        case .success(let handle)?: return handle
        case .failure(let error)?: throw error
        case nil: throw HandleCacheShutDown()  // not reached: callers wait for a result
        }
    }

    private struct CloseJob: Sendable {
        var key: Key
        var handle: Handle
    }

    private final class ClosedList: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Closed] = []
        func append(_ item: Closed) {
            lock.lock()
            list.append(item)
            lock.unlock()
        }
        var items: [Closed] {
            lock.lock()
            defer { lock.unlock() }
            return list
        }
    }
}

/// `HandleCache.handle(for:)` after `shutdown()`.
struct HandleCacheShutDown: Error {}

/// `HandleCache.handle(for:)` waited for another caller's open longer than its limit.
struct HandleCacheWaitTimedOut: Error {
    var waited: Duration
}
