import BrickctlTestSupport
import Foundation
import HostIO
import Synchronization
import Testing

@testable import Gluster

/// HandleCache's async way in (the plugin's): opens on a BlockingPool, waiters suspended with a
/// deadline, and blocking and async callers sharing one open. Fake handles, no glusterd.
@Suite(.offCooperativePool) struct HandleCacheAsyncTests {
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

    final class Serials: Sendable {
        private let list = Mutex<[Int]>([])
        func add(_ serial: Int) { list.withLock { $0.append(serial) } }
        var all: [Int] { list.withLock { $0 } }
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
        let finished = DispatchSemaphore(value: 0)
        let serials = Serials()
        // A thread opens (blocking) and an async caller arrives while it does.
        Thread {
            let handle = try? cache.handle(for: "gvb") { key in
                started.signal()
                Thread.sleep(forTimeInterval: 0.3)
                return Fake(key, opens.increment())
            }
            serials.add(handle?.serial ?? -1)
            finished.signal()
        }.start()
        started.wait()
        let asyncSerial = try await cache.handle(for: "gvb", on: pool) { Fake($0, opens.increment()) }.serial
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(serials.all == [1])
        #expect(asyncSerial == 1)
        #expect(opens.current == 1)
        await pool.shutdown()
    }

    @Test func blockingWaitersGetTheOutcomeOfAnAsyncOpen() async throws {
        let pool = BlockingPool(threads: 1)
        let cache = HandleCacheTests.cache()
        let proceed = DispatchSemaphore(value: 0)
        let opening = DispatchSemaphore(value: 0)
        let opener = Task {
            try await cache.handle(for: "gvb", on: pool) { key in
                opening.signal()
                proceed.wait()
                return Fake(key, 1)
            }.serial
        }
        opening.wait()
        // Four threads (not tasks: they block) find the open under way and wait for it, then it ends.
        let serials = Serials()
        let done = DispatchGroup()
        for _ in 0..<4 {
            done.enter()
            Thread {
                serials.add((try? cache.handle(for: "gvb") { Fake($0, 9) })?.serial ?? -1)
                done.leave()
            }.start()
        }
        try await Task.sleep(for: .milliseconds(200))
        proceed.signal()
        #expect(try await opener.value == 1)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(serials.all == [1, 1, 1, 1])
        // A blocking waiter whose deadline passes leaves; the open it waited for still lands.
        let slow = DispatchSemaphore(value: 0)
        let secondOpening = DispatchSemaphore(value: 0)
        let second = Task {
            try await cache.handle(for: "gvc", on: pool) { key in
                secondOpening.signal()
                slow.wait()
                return Fake(key, 2)
            }.serial
        }
        secondOpening.wait()  // the open is under way (an event, not a pause: under load 100 ms was not enough)
        let timedOut = DispatchSemaphore(value: 0)
        Thread {
            do {
                _ = try cache.handle(for: "gvc", waitLimit: .milliseconds(100)) { Fake($0, 9) }
            } catch is HandleCacheWaitTimedOut {
                timedOut.signal()
            } catch {}
        }.start()
        #expect(timedOut.wait(timeout: .now() + 10) == .success)
        slow.signal()
        #expect(try await second.value == 2)
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
@Suite(.offCooperativePool) struct GlusterCLIBackoffTests {
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
