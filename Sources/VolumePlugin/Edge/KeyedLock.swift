import Synchronization

/// One async lock per key (a Gluster volume, a Docker volume name): work on one key is serial,
/// different keys run side by side, and nobody holds a global lock across a mount.
final class KeyedLock: Sendable {
    private struct Waiters {
        var held: Set<String> = []
        var queues: [String: [CheckedContinuation<Void, Never>]] = [:]
    }
    private let state = Mutex(Waiters())

    func withLock<T: Sendable>(_ key: String, _ body: () async throws -> T) async throws -> T {
        await acquire(key)
        defer { release(key) }
        return try await body()
    }

    /// The callers queued for `key` behind its holder (for tests that order events).
    func waiting(_ key: String) -> Int {
        state.withLock { $0.queues[key]?.count ?? 0 }
    }

    private func acquire(_ key: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.held.insert(key).inserted { return true }
                s.queues[key, default: []].append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func release(_ key: String) {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if var queue = s.queues[key], !queue.isEmpty {
                let first = queue.removeFirst()
                s.queues[key] = queue.isEmpty ? nil : queue
                return first  // stays held, handed over
            }
            s.held.remove(key)
            return nil
        }
        next?.resume()
    }
}
