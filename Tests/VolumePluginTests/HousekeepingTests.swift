import BrickctlTestSupport
import Logging
import ServiceLifecycle
import Testing

@testable import VolumePlugin

/// The plugin's housekeeping services in a real ServiceGroup: they work on their period and end
/// on graceful shutdown (what SIGTERM triggers in `PluginServer.run`).
@Suite(.offCooperativePool) struct HousekeepingTests {
    @Test func worksEveryPeriodAndEndsOnGracefulShutdown() async throws {
        let count = Counter()
        let (ticks, tick) = AsyncStream<Void>.makeStream()
        let group = ServiceGroup(
            services: [
                Housekeeping(every: .milliseconds(10)) {
                    count.increment()
                    tick.yield()
                }
            ],
            logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Three rounds of work, however busy the machine (other suites run alongside), at most 120 s.
            let deadline = Task {
                try await Task.sleep(for: .seconds(120))
                tick.finish()
            }
            var seen = 0
            for await _ in ticks {
                seen += 1
                if seen == 3 { break }
            }
            deadline.cancel()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(count.current >= 3)
        let after = count.current
        try await Task.sleep(for: .milliseconds(50))
        #expect(count.current == after, "work went on after the shutdown")
    }
}
