import BrickctlTestSupport
import Testing

@testable import Gluster

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
