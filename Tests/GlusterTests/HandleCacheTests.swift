import BrickctlTestSupport
import Dispatch
import Foundation
import Testing

@testable import Gluster

/// HandleCache's locking with fake handles: what GlusterVolumes relies on, without glusterd.
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

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        @discardableResult func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            count += 1
            return count
        }
        var value: Int {
            lock.lock()
            defer { lock.unlock() }
            return count
        }
    }

    struct OpenFailed: Error {}

    static func cache(closeTakes delay: Duration = .zero) -> HandleCache<String, Fake> {
        HandleCache(close: { handle in
            handle.closes.increment()
            if delay > .zero {
                Thread.sleep(
                    forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
            }
            return delay
        })
    }

    @Test func opensOncePerKeyAndReuses() throws {
        let cache = Self.cache()
        let opens = Counter()
        let open: (String) throws -> Fake = { Fake($0, opens.increment()) }
        let a = try cache.handle(for: "gvb", open: open)
        let b = try cache.handle(for: "gvb", open: open)
        let c = try cache.handle(for: "gvc", open: open)
        #expect(a === b)
        #expect(a !== c)
        #expect(opens.value == 2)
        #expect(Set(cache.openHandles.keys) == ["gvb", "gvc"])
    }

    @Test func concurrentFirstCallsShareOneOpen() {
        let cache = Self.cache()
        let opens = Counter()
        let serials = Counter()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let handle = try? cache.handle(for: "gvb") { key in
                Thread.sleep(forTimeInterval: 0.1)
                return Fake(key, opens.increment())
            }
            if handle?.serial == 1 { serials.increment() }
        }
        #expect(opens.value == 1)
        #expect(serials.value == 16)
    }

    @Test func failuresAreNotRemembered() throws {
        let cache = Self.cache()
        #expect(throws: OpenFailed.self) { _ = try cache.handle(for: "gvb") { _ in throw OpenFailed() } }
        let handle = try cache.handle(for: "gvb") { Fake($0, 1) }
        #expect(handle.serial == 1)
    }

    @Test func closeIdleClosesOnlyHandlesIdleLongEnough() throws {
        let cache = Self.cache()
        let first = try cache.handle(for: "gvb") { Fake($0, 1) }
        #expect(cache.closeIdle(olderThan: .seconds(3600)).isEmpty)
        #expect(first.closes.value == 0)
        let closed = cache.closeIdle(olderThan: .zero)
        #expect(closed.map(\.key) == ["gvb"])
        #expect(first.closes.value == 1)
        let second = try cache.handle(for: "gvb") { Fake($0, 2) }
        #expect(second.serial == 2)
    }

    @Test func shutdownClosesConcurrentlyAndRefusesNewHandles() throws {
        let cache = Self.cache(closeTakes: .milliseconds(400))
        let handles = try (1...4).map { n in try cache.handle(for: "gv\(n)") { Fake($0, n) } }
        let clock = ContinuousClock()
        let start = clock.now
        let closed = cache.shutdown()
        let took = clock.now - start
        #expect(closed.count == 4)
        #expect(handles.allSatisfy { $0.closes.value == 1 })
        #expect(took < .milliseconds(1200), "4 closes of 400 ms took \(took): not concurrent")
        #expect(throws: HandleCacheShutDown.self) { _ = try cache.handle(for: "gv1") { Fake($0, 9) } }
    }

    @Test func anOpenFinishingAfterShutdownClosesItsHandle() throws {
        let cache = Self.cache()
        let opened = DispatchSemaphore(value: 0)
        let proceed = DispatchSemaphore(value: 0)
        let late = Counter()
        let made = LateHandle()
        let thread = Thread {
            do {
                _ = try cache.handle(for: "gvb") { key in
                    opened.signal()
                    proceed.wait()
                    let fake = Fake(key, 1)
                    made.set(fake)
                    return fake
                }
            } catch is HandleCacheShutDown {
                late.increment()
            } catch {}
            opened.signal()
        }
        thread.start()
        opened.wait()
        #expect(cache.shutdown().isEmpty)  // the open is under way: nothing to close yet
        proceed.signal()
        opened.wait()
        #expect(late.value == 1)
        #expect(made.value?.closes.value == 1)
    }

    final class LateHandle: @unchecked Sendable {
        private let lock = NSLock()
        private var fake: Fake?
        func set(_ value: Fake) {
            lock.lock()
            fake = value
            lock.unlock()
        }
        var value: Fake? {
            lock.lock()
            defer { lock.unlock() }
            return fake
        }
    }
}
