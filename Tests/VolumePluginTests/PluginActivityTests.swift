import BrickctlTestSupport
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Testing

@testable import VolumePlugin

/// The plugin's own figures (`PluginActivity`): what a request, an error and a remount count, and
/// `GET /Brickctl.Metrics` on a unix socket read back by `PluginActivity.fetch` (the exporter's way).
@Suite(.offCooperativePool) struct PluginActivityTests {
    @Test func requestsErrorsLatencyAndRemountsAreCounted() {
        let metrics = PluginMetrics(startedAt: Date(timeIntervalSince1970: 100))
        metrics.record(endpoint: "/VolumeDriver.Mount", duration: .milliseconds(3), error: nil)
        metrics.record(endpoint: "/VolumeDriver.Mount", duration: .milliseconds(700), error: nil)
        metrics.record(
            endpoint: "/VolumeDriver.Mount", duration: .seconds(90), error: PluginError(.mountFailed, "no"))
        metrics.record(endpoint: "/VolumeDriver.Get", duration: .milliseconds(1), error: CancellationError())
        metrics.recordMount("gv0", remount: false)
        metrics.recordMount("gv0", remount: true)
        let activity = metrics.snapshot()
        #expect(activity.startedAt == 100)
        let mount = activity.endpoints["/VolumeDriver.Mount"]
        #expect(mount?.requests == 3)
        #expect(mount?.errors == ["mount-failed": 1])
        // ≤ 5 ms: 1; ≤ 1 s: 2; over 60 s: only in +Inf.
        #expect(mount?.cumulativeBuckets.first == 1)
        #expect(mount?.cumulativeBuckets[PluginActivity.bucketBounds.firstIndex(of: 1)!] == 2)
        #expect(mount?.cumulativeBuckets[PluginActivity.bucketBounds.count - 1] == 2)
        #expect(mount?.cumulativeBuckets.last == 3)
        #expect(abs((mount?.seconds ?? 0) - 90.703) < 1e-9)
        #expect(activity.endpoints["/VolumeDriver.Get"]?.errors == ["other": 1])
        #expect(activity.mounts == ["gv0": 2] && activity.remounts == ["gv0": 1])
        #expect(activity.residentBytes > 1 << 20, "this process's RSS")
    }

    @Test func aResponseBodyIsTakenOnlyWhenCompleteAndOK() {
        let ok = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}".utf8)
        #expect(PluginActivity.body(ofResponse: ok) == Data("{}".utf8))
        #expect(PluginActivity.body(ofResponse: Array(ok.dropLast())) == nil, "incomplete")
        let notFound = Array("HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\n\r\n{}".utf8)
        #expect(PluginActivity.body(ofResponse: notFound) == nil)
    }

    @Test func theEndpointOnAUnixSocketAnswersTheExportersFetch() async throws {
        let socket = FileManager.default.temporaryDirectory.appendingPathComponent(
            "activity-\(UUID().uuidString.prefix(8)).sock"
        ).path
        defer { unlink(socket) }
        #expect(PluginActivity.fetch(socket: socket, timeout: 1) == nil, "nothing listens yet")
        PluginMetrics.shared.record(endpoint: "/Test.Endpoint", duration: .milliseconds(1), error: nil)
        let router = Router()
        PluginServer.addMetricsRoute(to: router)
        let (started, ready) = AsyncStream<Void>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .unixDomainSocket(path: socket), serverName: nil),
            onServerRunning: { _ in ready.yield() })
        let group = ServiceGroup(services: [app], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let timer = Task {
                try await Task.sleep(for: .seconds(60))
                ready.finish()
            }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            timer.cancel()
            let fetched = try #require(PluginActivity.fetch(socket: socket, timeout: 10))
            #expect((fetched.endpoints["/Test.Endpoint"]?.requests ?? 0) >= 1)
            #expect(fetched.residentBytes > 0)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
