import BrickctlTestSupport
import Testing

@testable import VolumePlugin

/// KeyedLock: work on one key is serial and in arrival order, different keys run side by side,
/// and a body that throws releases its key. Ordered by events (signals), not by pauses.
@Suite(.offCooperativePool) struct KeyedLockTests {
    @Test func oneKeyIsSerialAndOtherKeysRunBesideIt() async throws {
        let lock = KeyedLock()
        let holding = Signal()
        let release = Signal()
        let order = Collected<String>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await lock.withLock("gv0") {
                    order.add("first in")
                    holding.signal()
                    _ = await release.wait(seconds: 60)
                    order.add("first out")
                }
            }
            #expect(await holding.wait(seconds: 30))
            group.addTask {
                try await lock.withLock("gv0") { order.add("second") }
            }
            // Another key is not held up by gv0's holder.
            try await lock.withLock("gv1") { order.add("other key") }
            #expect(order.all == ["first in", "other key"], "\(order.all)")
            release.signal()
            try await group.waitForAll()
        }
        #expect(order.all == ["first in", "other key", "first out", "second"], "\(order.all)")
    }

    @Test func waitersGetTheKeyInArrivalOrder() async throws {
        let lock = KeyedLock()
        let holding = Signal()
        let release = Signal()
        let order = Collected<Int>()
        let queued = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await lock.withLock("gv0") {
                    holding.signal()
                    _ = await release.wait(seconds: 60)
                }
            }
            #expect(await holding.wait(seconds: 30))
            for n in 1...5 {
                // One at a time, so that arrival order is known: each is queued before the next starts.
                group.addTask { try await lock.withLock("gv0") { order.add(n) } }
                #expect(await eventually(seconds: 30) { lock.waiting("gv0") == n })
                queued.increment()
            }
            release.signal()
            try await group.waitForAll()
        }
        #expect(queued.current == 5)
        #expect(order.all == [1, 2, 3, 4, 5])
    }

    @Test func aThrowingBodyReleasesItsKey() async throws {
        struct Failed: Error {}
        let lock = KeyedLock()
        await #expect(throws: Failed.self) { try await lock.withLock("gv0") { throw Failed() } }
        let value = try await lock.withLock("gv0") { 42 }
        #expect(value == 42)
        #expect(lock.waiting("gv0") == 0)
    }
}
