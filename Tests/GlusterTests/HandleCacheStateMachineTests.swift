import BrickctlTestSupport
import Testing

@testable import Gluster

/// HandleCache's rules as a value: every event and the action it asks for, no threads.
@Suite(.offCooperativePool) struct HandleCacheStateMachineTests {
    typealias Machine = HandleCacheStateMachine<String, Int>
    struct OpenFailed: Error {}

    let t0 = ContinuousClock().now

    @Test func firstLookupOpensThenEveryLookupUsesTheHandle() {
        var machine = Machine()
        guard case .open(let attempt) = machine.lookup("gv0", now: t0) else {
            Issue.record("expected open")
            return
        }
        guard case .use(7) = machine.opened("gv0", attempt: attempt, .success(7), now: t0) else {
            Issue.record("expected use")
            return
        }
        guard case .use(7) = machine.lookup("gv0", now: t0) else {
            Issue.record("expected use")
            return
        }
        #expect(machine.openHandles == ["gv0": 7])
    }

    @Test func aSecondCallerWaitsAndGetsTheSameResult() throws {
        var machine = Machine()
        guard case .open(let attempt) = machine.lookup("gv0", now: t0) else {
            Issue.record("expected open")
            return
        }
        guard case .wait(let waited) = machine.lookup("gv0", now: t0) else {
            Issue.record("expected wait")
            return
        }
        guard case .wait = machine.lookup("gv0", now: t0) else {
            Issue.record("expected wait")
            return
        }
        #expect(waited == attempt)
        let pending = machine.result(of: waited)
        #expect(pending == nil)  // still opening
        _ = machine.opened("gv0", attempt: attempt, .success(3), now: t0)
        let first = machine.result(of: waited)
        let second = machine.result(of: waited)
        #expect(try first?.get() == 3)
        #expect(try second?.get() == 3)
        #expect(machine.waiterCount == 0)
        let after = machine.result(of: waited)
        #expect(after == nil)  // forgotten once every waiter took it
    }

    @Test func aFailureReachesTheWaitersAndIsNotRemembered() {
        var machine = Machine()
        guard case .open(let attempt) = machine.lookup("gv0", now: t0) else {
            Issue.record("expected open")
            return
        }
        guard case .wait = machine.lookup("gv0", now: t0) else {
            Issue.record("expected wait")
            return
        }
        guard case .fail = machine.opened("gv0", attempt: attempt, .failure(OpenFailed()), now: t0) else {
            Issue.record("expected fail")
            return
        }
        let result = machine.result(of: attempt)
        #expect(throws: OpenFailed.self) { try result?.get() }
        guard case .open(let again) = machine.lookup("gv0", now: t0) else {
            Issue.record("expected a new open")
            return
        }
        #expect(again != attempt)
    }

    @Test func aWaiterThatGivesUpLeavesNothingBehind() {
        var machine = Machine()
        guard case .open(let attempt) = machine.lookup("gv0", now: t0) else {
            Issue.record("expected open")
            return
        }
        guard case .wait = machine.lookup("gv0", now: t0) else {
            Issue.record("expected wait")
            return
        }
        machine.stopWaiting(for: attempt)
        #expect(machine.waiterCount == 0)
        _ = machine.opened("gv0", attempt: attempt, .success(1), now: t0)
        let result = machine.result(of: attempt)
        #expect(result == nil)
    }

    @Test func idleHandlesAreTakenOutByAgeOnly() {
        var machine = Machine()
        for (key, value) in [("old", 1), ("new", 2)] {
            guard case .open(let attempt) = machine.lookup(key, now: t0) else {
                Issue.record("expected open")
                return
            }
            _ = machine.opened(key, attempt: attempt, .success(value), now: t0)
        }
        _ = machine.lookup("new", now: t0 + .seconds(50))
        guard case .open = machine.lookup("opening", now: t0) else {
            Issue.record("expected open")
            return
        }
        let idle = machine.takeIdle(olderThan: .seconds(30), now: t0 + .seconds(60))
        #expect(idle.map(\.0) == ["old"])
        #expect(machine.openHandles == ["new": 2])
    }

    @Test func shutdownTakesEveryHandleRefusesNewOnesAndClosesLateOpens() {
        var machine = Machine()
        guard case .open(let first) = machine.lookup("gv0", now: t0) else {
            Issue.record("expected open")
            return
        }
        _ = machine.opened("gv0", attempt: first, .success(1), now: t0)
        guard case .open(let late) = machine.lookup("gv1", now: t0) else {
            Issue.record("expected open")
            return
        }
        guard case .wait = machine.lookup("gv1", now: t0) else {
            Issue.record("expected wait")
            return
        }
        let all = machine.shutDown()
        #expect(all.map(\.0) == ["gv0"])
        guard case .refuse = machine.lookup("gv0", now: t0) else {
            Issue.record("expected refuse")
            return
        }
        guard case .closeAndRefuse(2) = machine.opened("gv1", attempt: late, .success(2), now: t0) else {
            Issue.record("expected closeAndRefuse")
            return
        }
        let result = machine.result(of: late)
        #expect(throws: HandleCacheShutDown.self) { try result?.get() }
        #expect(machine.openHandles.isEmpty)
    }
}
