import BrickctlTestSupport
import HostIO
import Testing

@testable import Gluster

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.offCooperativePool) struct VolfileServerCheckTests {
    @Test func reachableServersGoFirstThenUnknownThenFailed() {
        let check = VolfileServerCheck(
            servers: ["n1", "n2", "n3", "n4", "n5"],
            found: ["n1": .refused, "n2": .noAnswer, "n3": .reachable, "n5": .reachable])
        #expect(check.order == ["n3", "n5", "n2", "n4", "n1"])
        #expect(check.anyReachable)
        #expect(!check.allFailed)
    }

    @Test func allFailedOnlyWhenWaitingCannotHelp() {
        #expect(VolfileServerCheck(servers: ["a", "b"], found: ["a": .refused, "b": .unresolved]).allFailed)
        #expect(!VolfileServerCheck(servers: ["a", "b"], found: ["a": .refused, "b": .noAnswer]).allFailed)
        #expect(!VolfileServerCheck(servers: ["a", "b"], found: ["a": .refused]).allFailed)
    }

    @Test func probeResultsMapToReasons() {
        #expect(ServerReachability(probeResult: 0) == .reachable)
        #expect(ServerReachability(probeResult: 1) == .unresolved)
        #expect(ServerReachability(probeResult: -ECONNREFUSED) == .refused)
        #expect(ServerReachability(probeResult: -ETIMEDOUT) == .noAnswer)
        #expect(ServerReachability(probeResult: -EHOSTUNREACH) == .failed(EHOSTUNREACH))
        let summary = VolfileServerCheck(
            servers: ["n3", "x", "10.0.0.9"],
            found: ["n3": .refused, "x": .unresolved, "10.0.0.9": .failed(EHOSTUNREACH)]
        ).summary
        #expect(
            summary
                == "n3: connection refused (glusterd not running there?); x: the name does not resolve; 10.0.0.9: no route to host (host down?)"
        )
    }

    @Test func refusedLoopbackPortIsFoundAtOnce() async {
        let clock = ContinuousClock()
        let check = await VolfileServerCheck.run(
            servers: ["127.0.0.1"], port: 1, deadline: clock.now + .seconds(3), on: .shared)
        #expect(check.found["127.0.0.1"] == .refused)
        #expect(check.allFailed)
    }
}
