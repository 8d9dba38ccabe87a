import BrickctlTestSupport
import Dispatch
import Foundation
import HostIO
import NIOPosix
import Testing

/// BlockingPool.run and awaitCallback, the package's one deadline mechanism: results and errors
/// pass through, the deadline and the caller's cancellation end the wait at once while the
/// blocking job finishes on its own thread, and a shut-down pool refuses work.
@Suite(.offCooperativePool) struct BlockingPoolTests {
    struct Refused: Error, Equatable {}

    @Test func aResultAndAnErrorPassThrough() async throws {
        let pool = BlockingPool(threads: 2)
        #expect(try await pool.run("adding", seconds: 5) { 20 + 22 } == 42)
        await #expect(throws: Refused.self) { try await pool.run("refusing", seconds: 5) { throw Refused() } }
        await pool.shutdown()
    }

    @Test func theDeadlineEndsTheWaitWhileTheJobGoesOnToItsEnd() async throws {
        let pool = BlockingPool(threads: 2)
        let release = DispatchSemaphore(value: 0)
        let started = Signal()
        let finished = Signal()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await pool.run("a stuck call", seconds: 0.3) {
                started.signal()
                release.wait()
                finished.signal()
            }
            Issue.record("the stuck call returned")
        } catch let error as BlockingPool.TimedOut {
            #expect(error.what == "a stuck call" && error.description == "a stuck call did not finish within 0 s")
        }
        let waited = clock.now - start
        #expect(started.isSignalled)
        #expect(!finished.isSignalled, "the job is still blocked: only the wait ended")
        #expect(waited < .seconds(10), "the wait ended at the deadline, not with the job: \(waited)")
        release.signal()
        #expect(await finished.wait(seconds: 10), "the job ran to its end on its thread")
        await pool.shutdown()
    }

    @Test func aCancelledCallerStopsWaitingAtOnce() async throws {
        let pool = BlockingPool(threads: 2)
        let release = DispatchSemaphore(value: 0)
        let started = Signal()
        let caller = Task {
            try await pool.run("a long call", seconds: 600) {
                started.signal()
                release.wait()
                return 1
            }
        }
        #expect(await started.wait(seconds: 10))
        caller.cancel()
        let outcome = await caller.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        release.signal()
        await pool.shutdown()
    }

    @Test func aCallerCancelledBeforeItStartsRunsNothing() async throws {
        let pool = BlockingPool(threads: 1)
        let ran = Counter()
        let gate = Signal()
        let caller = Task {
            _ = await gate.wait(seconds: 10)
            return try await pool.run("never", seconds: 5) { ran.increment() }
        }
        caller.cancel()
        gate.signal()
        let outcome = await caller.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(ran.current == 0)
        await pool.shutdown()
    }

    @Test func aShutDownPoolRefusesWork() async throws {
        let pool = BlockingPool(threads: 1)
        await pool.shutdown()
        await #expect(throws: NIOThreadPoolError.ThreadPoolInactive.self) {
            try await pool.run("after shutdown", seconds: 5) { 1 }
        }
    }

    @Test func aResultDeliveredBeforeTheWaitBeginsIsKept() async throws {
        let value: Int = try await awaitCallback(within: .seconds(5), timedOut: Refused()) { deliver in
            deliver(.success(7))
            deliver(.success(8))  // later deliveries are dropped
        }
        #expect(value == 7)
    }

    @Test func manyCallsOnASmallPoolAllFinish() async throws {
        let pool = BlockingPool(threads: 2)
        let sum = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 1...200 { group.addTask { try await pool.run("call \(n)", seconds: 30) { n } } }
            return try await group.reduce(0, +)
        }
        #expect(sum == 200 * 201 / 2)
        await pool.shutdown()
    }
}
