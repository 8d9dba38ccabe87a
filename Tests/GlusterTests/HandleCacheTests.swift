import BrickctlTestSupport
import Dispatch
import Foundation
import HostIO
import Testing

@testable import Gluster

/// HandleCache with fake handles: what GlusterVolumes relies on, without glusterd. Opens run in
/// tasks of their own, callers wait in theirs, closes run on a BlockingPool; every ordering is by
/// event, not by pause.
@Suite(.offCooperativePool) struct HandleCacheTests {
    final class Fake: Sendable {
        let key: String
        let serial: Int
        let closes = Counter()
        init(_ key: String, _ serial: Int) {
            self.key = key
            self.serial = serial
        }
    }

    struct OpenFailed: Error {}

    /// A cache whose close, a job on `pool`, counts and runs `during` (a close that takes time, or
    /// waits for others).
    static func cache(on pool: BlockingPool, during: @escaping @Sendable () -> Void = {}) -> HandleCache<String, Fake> {
        HandleCache(close: { handle in
            try? await pool.run("closing \(handle.key)", seconds: 120) {
                handle.closes.increment()
                during()
                return .zero
            }
        })
    }

    @Test func opensOncePerKeyAndReuses() async throws {
        let pool = BlockingPool(threads: 2)
        let (cache, opens) = (Self.cache(on: pool), Counter())
        let open: @Sendable (String) async throws -> Fake = { Fake($0, opens.increment()) }
        let a = try await cache.handle(for: "gvb", open: open)
        let b = try await cache.handle(for: "gvb", open: open)
        let c = try await cache.handle(for: "gvc", open: open)
        #expect(a === b)
        #expect(a !== c)
        #expect(opens.current == 2)
        #expect(Set(cache.openHandles.keys) == ["gvb", "gvc"])
        await pool.shutdown()
    }

    @Test func concurrentFirstCallsShareOneOpen() async throws {
        let pool = BlockingPool(threads: 2)
        let (cache, opens) = (Self.cache(on: pool), Counter())
        let release = Signal()
        let serials = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    try await cache.handle(for: "gvb") { key in
                        _ = await release.wait(seconds: 60)  // until every caller waits for this open
                        return Fake(key, opens.increment())
                    }.serial
                }
            }
            #expect(await eventually(seconds: 30) { cache.waitingCallers == 32 })
            release.signal()
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(opens.current == 1)
        #expect(serials == Array(repeating: 1, count: 32))
        #expect(Set(cache.openHandles.keys) == ["gvb"])
        await pool.shutdown()
    }

    @Test func aFailedOpenReachesEveryWaiterAndIsNotRemembered() async throws {
        let pool = BlockingPool(threads: 2)
        let (cache, failures) = (Self.cache(on: pool), Counter())
        let release = Signal()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do {
                        _ = try await cache.handle(for: "gvb") { _ in
                            _ = await release.wait(seconds: 60)
                            throw OpenFailed()
                        }
                    } catch is OpenFailed {
                        failures.increment()
                    } catch {}
                }
            }
            #expect(await eventually(seconds: 30) { cache.waitingCallers == 8 })
            release.signal()
        }
        #expect(failures.current == 8)
        let handle = try await cache.handle(for: "gvb") { Fake($0, 7) }
        #expect(handle.serial == 7)
        await pool.shutdown()
    }

    @Test func aWaiterGivesUpAtItsDeadlineAndTheOpenStillLands() async throws {
        let pool = BlockingPool(threads: 2)
        let cache = Self.cache(on: pool)
        let release = Signal()
        let opened = Signal()
        await #expect(throws: HandleCacheWaitTimedOut.self) {
            _ = try await cache.handle(for: "gvb", waitLimit: .milliseconds(200)) { key in
                _ = await release.wait(seconds: 60)
                defer { opened.signal() }
                return Fake(key, 1)
            }
        }
        #expect(cache.waitingCallers == 0, "the caller left the open's waiters")
        release.signal()
        #expect(await opened.wait(seconds: 10))
        // The open ended after its caller left: the handle is cached for the next one.
        #expect(await eventually(seconds: 10) { cache.openHandles["gvb"] != nil })
        let handle = try await cache.handle(for: "gvb") { Fake($0, 2) }
        #expect(handle.serial == 1)
        await pool.shutdown()
    }

    @Test func aCancelledWaiterLeavesAtOnceAndTheOthersGetTheHandle() async throws {
        let pool = BlockingPool(threads: 2)
        let cache = Self.cache(on: pool)
        let release = Signal()
        let opener = Task {
            try await cache.handle(for: "gvb") { key in
                _ = await release.wait(seconds: 60)
                return Fake(key, 1)
            }.serial
        }
        #expect(await eventually(seconds: 10) { cache.waitingCallers == 1 })
        let leaver = Task { try await cache.handle(for: "gvb") { Fake($0, 9) }.serial }
        #expect(await eventually(seconds: 10) { cache.waitingCallers == 2 })
        leaver.cancel()
        let left = await leaver.result
        #expect(throws: CancellationError.self) { try left.get() }
        #expect(cache.waitingCallers == 1)
        release.signal()
        #expect(try await opener.value == 1)
        await pool.shutdown()
    }

    @Test func closeIdleClosesOnlyHandlesIdleLongEnough() async throws {
        let pool = BlockingPool(threads: 2)
        let cache = Self.cache(on: pool)
        let first = try await cache.handle(for: "gvb") { Fake($0, 1) }
        #expect(await cache.closeIdle(olderThan: .seconds(3600)).isEmpty)
        #expect(first.closes.current == 0)
        let closed = await cache.closeIdle(olderThan: .zero)
        #expect(closed.map(\.key) == ["gvb"])
        #expect(first.closes.current == 1)
        let second = try await cache.handle(for: "gvb") { Fake($0, 2) }
        #expect(second.serial == 2)
        await pool.shutdown()
    }

    @Test func shutdownClosesConcurrentlyAndRefusesNewHandles() async throws {
        // Each close waits until all four closes run: only concurrent closes all see four.
        let started = Counter()
        let sawAll = Counter()
        let pool = BlockingPool(threads: 4)
        let cache = Self.cache(on: pool) {
            started.increment()
            let deadline = ContinuousClock.now + .seconds(30)
            while started.current < 4 && ContinuousClock.now < deadline { usleep(1000) }
            if started.current == 4 { sawAll.increment() }
        }
        var handles: [Fake] = []
        for n in 1...4 { handles.append(try await cache.handle(for: "gv\(n)") { Fake($0, n) }) }
        let closed = await cache.shutdown()
        #expect(closed.count == 4)
        #expect(handles.allSatisfy { $0.closes.current == 1 })
        #expect(sawAll.current == 4, "the closes did not run side by side")
        await #expect(throws: HandleCacheShutDown.self) {
            _ = try await cache.handle(for: "gv1") { Fake($0, 9) }
        }
        await pool.shutdown()
    }

    @Test func anOpenFinishingAfterShutdownClosesItsHandle() async throws {
        let pool = BlockingPool(threads: 2)
        let cache = Self.cache(on: pool)
        let opening = Signal()
        let proceed = Signal()
        let made = Collected<Fake>()
        let opener = Task {
            try await cache.handle(for: "gvb") { key in
                opening.signal()
                _ = await proceed.wait(seconds: 60)
                let fake = Fake(key, 1)
                made.add(fake)
                return fake
            }
        }
        #expect(await opening.wait(seconds: 10))
        #expect(await cache.shutdown().isEmpty)  // the open is under way: nothing to close yet
        proceed.signal()
        let outcome = await opener.result
        #expect(throws: HandleCacheShutDown.self) { try outcome.get() }
        // The waiters learn of the shutdown first; the close follows as a pool job.
        #expect(await eventually(seconds: 30) { made.all.map(\.closes.current) == [1] })
        await pool.shutdown()
    }
}
