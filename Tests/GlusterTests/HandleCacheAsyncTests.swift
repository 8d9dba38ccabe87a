import Foundation
import HostIO
import Synchronization
import Testing

@testable import Gluster

/// HandleCache's async way in (the plugin's): opens on a BlockingPool, waiters suspended with a
/// deadline, and blocking and async callers sharing one open. Fake handles, no glusterd.
@Suite struct HandleCacheAsyncTests {
    typealias Fake = HandleCacheTests.Fake

    final class Count: Sendable {
        private let value = Mutex(0)
        @discardableResult func increment() -> Int {
            value.withLock {
                $0 += 1
                return $0
            }
        }
        var current: Int { value.withLock { $0 } }
    }

    @Test func concurrentAsyncFirstCallsShareOneOpenOnThePool() async throws {
        let pool = BlockingPool(threads: 2)
        let cache = HandleCacheTests.cache()
        let opens = Count()
        let serials = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    try await cache.handle(for: "gvb", on: pool) { key in
                        Thread.sleep(forTimeInterval: 0.1)
                        return Fake(key, opens.increment())
                    }.serial
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(opens.current == 1)
        #expect(serials == Array(repeating: 1, count: 32))
        #expect(Set(cache.openHandles.keys) == ["gvb"])
        await pool.shutdown()
    }

    @Test func aFailedAsyncOpenReachesEveryWaiterAndIsNotRemembered() async throws {
        let pool = BlockingPool(threads: 2)
        let cache = HandleCacheTests.cache()
        let failures = Count()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do {
                        _ = try await cache.handle(for: "gvb", on: pool) { _ in
                            Thread.sleep(forTimeInterval: 0.05)
                            throw HandleCacheTests.OpenFailed()
                        }
                    } catch is HandleCacheTests.OpenFailed {
                        failures.increment()
                    } catch {}
                }
            }
        }
        #expect(failures.current == 8)
        let handle = try await cache.handle(for: "gvb", on: pool) { Fake($0, 7) }
        #expect(handle.serial == 7)
        await pool.shutdown()
    }

    @Test func anAsyncWaiterGivesUpAtItsDeadlineAndTheOpenStillLands() async throws {
        let pool = BlockingPool(threads: 2)
        let cache = HandleCacheTests.cache()
        let release = DispatchSemaphore(value: 0)
        let opened = DispatchSemaphore(value: 0)
        await #expect(throws: HandleCacheWaitTimedOut.self) {
            _ = try await cache.handle(for: "gvb", waitLimit: .milliseconds(200), on: pool) { key in
                release.wait()
                defer { opened.signal() }
                return Fake(key, 1)
            }
        }
        release.signal()
        opened.wait()
        // The open ended after its caller left: the handle is cached for the next one.
        let handle = try await cache.handle(for: "gvb", on: pool) { Fake($0, 2) }
        #expect(handle.serial == 1)
        await pool.shutdown()
    }

    @Test func blockingAndAsyncCallersShareOneOpen() async throws {
        let pool = BlockingPool(threads: 2)
        let cache = HandleCacheTests.cache()
        let opens = Count()
        let started = DispatchSemaphore(value: 0)
        let blocking = Task.detached {
            try cache.handle(for: "gvb") { key in
                started.signal()
                Thread.sleep(forTimeInterval: 0.3)
                return Fake(key, opens.increment())
            }.serial
        }
        started.wait()
        let asyncSerial = try await cache.handle(for: "gvb", on: pool) { Fake($0, opens.increment()) }.serial
        #expect(try await blocking.value == 1)
        #expect(asyncSerial == 1)
        #expect(opens.current == 1)
        await pool.shutdown()
    }

    @Test func afterShutdownAsyncCallersAreRefused() async throws {
        let pool = BlockingPool(threads: 1)
        let cache = HandleCacheTests.cache()
        _ = try await cache.handle(for: "gvb", on: pool) { Fake($0, 1) }
        #expect(cache.shutdown().count == 1)
        await #expect(throws: HandleCacheShutDown.self) {
            _ = try await cache.handle(for: "gvb", on: pool) { Fake($0, 2) }
        }
        await pool.shutdown()
    }
}

/// The pauses between retries of a refused gluster call.
@Suite struct GlusterCLIBackoffTests {
    @Test func doublesUpToTheLongestAndStopsBeforeTheLimit() {
        var backoff = GlusterCLI.Backoff(limit: 3.5)
        #expect(backoff.next() == 0.25)
        #expect(backoff.next() == 0.5)
        #expect(backoff.next() == 1)
        #expect(backoff.next() == 2)
        #expect(backoff.next() == 2)  // capped (the pauses are not slept here: no time passed)
        var fixed = GlusterCLI.Backoff(limit: 0.5, first: 1, longest: 1)
        #expect(fixed.next() == nil)
    }
}
