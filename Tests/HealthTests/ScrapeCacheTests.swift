import BrickctlTestSupport
import Foundation
import HostIO
import Synchronization
import Testing

@testable import Health

@Suite(.offCooperativePool) struct ScrapeCacheTests {
    /// A gathering that takes `delay` (asleep, holding no thread) and counts its runs.
    final class FakeSite: Sendable {
        let delay: Duration
        let runs = Mutex(0)
        let finished = Mutex(0)
        init(delay: Duration) { self.delay = delay }
        func gather() async -> ScrapeCache.Gathered? {
            runs.withLock { $0 += 1 }
            try? await Task.sleep(for: delay)
            finished.withLock { $0 += 1 }
            let pool = GlusterObservation(peers: [], volumes: [])
            return ScrapeCache.Gathered(site: SiteObservation(host: "n1", gluster: pool), glusterCalls: 3)
        }
    }

    @Test func aFloodOfScrapesCostsOneGathering() async {
        let site = FakeSite(delay: .milliseconds(200))
        let cache = ScrapeCache(host: "n1", maxAge: .seconds(60), deadline: .seconds(30)) { await site.gather() }
        let pages = await withTaskGroup(of: String.self) { group in
            for _ in 0..<100 { group.addTask { await cache.page() } }
            var all: [String] = []
            for await page in group { all.append(page) }
            return all
        }
        #expect(pages.count == 100)
        #expect(
            pages.allSatisfy {
                $0.contains("brickctl_glusterd_up{host=\"n1\"} 1") && $0.contains("brickctl_scrape_error 0")
            })
        #expect(pages.allSatisfy { $0.contains("brickctl_scrape_gluster_calls 3") })
        #expect(site.runs.withLock { $0 } == 1)
        #expect(await cache.gatherings == 1)
    }

    @Test func aHangingGatheringAnswersAtTheDeadlineWithAnErrorAndIsNotStartedTwice() async {
        // The gathering "hangs" for 60 s (asleep: it holds no thread); without the deadline this
        // test would wait for it.
        let site = FakeSite(delay: .seconds(60))
        let cache = ScrapeCache(host: "n1", maxAge: .seconds(60), deadline: .milliseconds(200)) { await site.gather() }
        let first = await cache.page()
        #expect(site.finished.withLock { $0 } == 0, "the scrape waited for the whole gathering")
        #expect(first.contains("brickctl_scrape_error 1"))
        #expect(!first.contains("brickctl_glusterd_up"))
        // A second scrape while the first gathering still runs joins it: no second gluster call.
        let second = await cache.page()
        #expect(second.contains("brickctl_scrape_error 1"))
        #expect(site.runs.withLock { $0 } == 1 && site.finished.withLock { $0 } == 0)
        #expect(await cache.gatherings == 1)
    }

    @Test func afterTheDeadlineTheLateResultServesTheNextScrape() async throws {
        let site = FakeSite(delay: .milliseconds(400))
        let cache = ScrapeCache(host: "n1", maxAge: .seconds(60), deadline: .milliseconds(50)) { await site.gather() }
        #expect(await cache.page().contains("brickctl_scrape_error 1"))
        // Each scrape waits up to 50 ms on the same gathering; within 100 of them (at most 5 s)
        // it has ended and its result is served.
        var page = ""
        for _ in 0..<100 {
            page = await cache.page()
            if page.contains("brickctl_scrape_error 0") { break }
        }
        #expect(page.contains("brickctl_scrape_error 0") && page.contains("brickctl_glusterd_up{host=\"n1\"} 1"))
        #expect(await cache.gatherings == 1)
    }

    @Test func anOldReadingIsReadAgain() async {
        let site = FakeSite(delay: .zero)
        let cache = ScrapeCache(host: "n1", maxAge: .zero, deadline: .seconds(10)) { await site.gather() }
        _ = await cache.page()
        _ = await cache.page()
        #expect(await cache.gatherings == 2)
    }

    @Test func listenAddresses() {
        #expect(ListenAddress(parsing: ":9713") == ListenAddress(host: "0.0.0.0", port: 9713))
        #expect(ListenAddress(parsing: "127.0.0.1:9100") == ListenAddress(host: "127.0.0.1", port: 9100))
        #expect(ListenAddress(parsing: "[::1]:9713") == ListenAddress(host: "::1", port: 9713))
        #expect(ListenAddress(parsing: "[::1]:9713")?.description == "[::1]:9713")
        for bad in ["9713", ":0", ":70000", "host:", "a b:1"] { #expect(ListenAddress(parsing: bad) == nil, "\(bad)") }
    }

    @Test func servesMetricsOverHTTPAndAPortInUseIsAClearError() async throws {
        let site = FakeSite(delay: .zero)
        let cache = ScrapeCache(host: "n1", maxAge: .seconds(60), deadline: .seconds(10)) { await site.gather() }
        let (bound, stream) = AsyncStream.makeStream(of: ListenAddress.self)
        let server = Task {
            try await ExporterServer(address: ListenAddress(host: "127.0.0.1", port: 0), cache: cache).run { address in
                stream.yield(address)
            }
        }
        defer { server.cancel() }
        var iterator = bound.makeAsyncIterator()
        let address = try #require(await iterator.next())
        #expect(address.port > 0)
        let url = "http://127.0.0.1:\(address.port)/metrics"
        let out = try await BlockingPool.shared.run("curl", seconds: 30) {
            try Command("curl", ["-sS", "--max-time", "10", "-D", "-", url]).run(timeout: 20)
        }
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("Content-Type: text/plain; version=0.0.4"), "\(out.stdout)")
        #expect(out.stdout.contains("brickctl_glusterd_up{host=\"n1\"} 1"))

        do {
            try await ExporterServer(address: ListenAddress(host: "127.0.0.1", port: address.port), cache: cache).run()
            Issue.record("a second exporter on the same port started")
        } catch let error as ExporterError {
            #expect(error.code == .addressInUse)
            #expect(error.address.port == address.port)
        }
    }
}
