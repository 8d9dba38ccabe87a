import Foundation
import Synchronization

/// What the exporter serves: the last observation, gathered at most once per `maxAge` and never
/// twice at the same time, and a deadline on every scrape.
///
/// - A scrape within `maxAge` of the last gathering is answered from it (a scrape flood costs
///   rendering only).
/// - Otherwise it starts a gathering, or joins the one under way (single flight: at most one
///   gathering, hence one gluster call at a time, however many scrapes wait), and waits for it
///   at most `deadline`. Past that it answers at once with the previous observation (or only the
///   exporter's own families) and `brickctl_scrape_error 1`; the gathering goes on and its result
///   serves the next scrape.
public actor ScrapeCache {
    /// One gathering's result.
    public struct Gathered: Sendable {
        public var site: SiteObservation
        public var glusterCalls: Int

        public init(site: SiteObservation, glusterCalls: Int) {
            self.site = site
            self.glusterCalls = glusterCalls
        }
    }

    public typealias Gather = @Sendable () async -> Gathered?

    struct Snapshot: Sendable {
        var gathered: Gathered
        var at: ContinuousClock.Instant
        /// The page without the scrape families, rendered once per gathering.
        var body: String
    }

    let host: String
    let maxAge: Duration
    let deadline: Duration
    let gather: Gather
    private var latest: Snapshot?
    private var inFlight: Task<Snapshot?, Never>?
    /// Gatherings started (for tests and the bench: the cost of a scrape flood).
    public private(set) var gatherings = 0

    public init(
        host: String, maxAge: Duration = .seconds(15), deadline: Duration = .seconds(10), gather: @escaping Gather
    ) {
        self.host = host
        self.maxAge = maxAge
        self.deadline = deadline
        self.gather = gather
    }

    /// The metrics page for one scrape.
    public func page() async -> String {
        let clock = ContinuousClock()
        let started = clock.now
        var failed = false
        var snapshot = latest
        if snapshot == nil || started - snapshot!.at >= maxAge {
            let task = inFlight ?? startGathering()
            if let fresh = await Self.value(of: task, within: deadline) {
                snapshot = fresh
            } else {
                failed = true  // past the deadline, or the gathering failed
                snapshot = latest
            }
        }
        let seconds = Self.seconds(clock.now - started)
        guard let snapshot else {
            return SiteMetrics.renderWithoutObservation(
                host: host, scrape: ScrapeFacts(durationSeconds: seconds, error: true))
        }
        let scrape = ScrapeFacts(
            durationSeconds: seconds, error: failed, glusterCalls: snapshot.gathered.glusterCalls,
            gatheredAt: snapshot.gathered.site.now)
        return MetricFamily.render(SiteMetrics.scrapeFamilies(scrape)) + snapshot.body
    }

    private func startGathering() -> Task<Snapshot?, Never> {
        gatherings += 1
        let gather = self.gather
        let task = Task<Snapshot?, Never> {
            guard let gathered = await gather() else {
                await self.finished(nil)
                return nil
            }
            let health = SiteHealth.assess(gathered.site)
            let body = MetricFamily.render(
                SiteMetrics.families(gathered.site, health: health, scrape: ScrapeFacts(durationSeconds: 0))
                    .filter { !SiteMetrics.isScrapeFamily($0.name) })
            let snapshot = Snapshot(gathered: gathered, at: ContinuousClock.now, body: body)
            await self.finished(snapshot)
            return snapshot
        }
        inFlight = task
        return task
    }

    private func finished(_ snapshot: Snapshot?) {
        if let snapshot { latest = snapshot }
        inFlight = nil
    }

    /// The task's value, or nil once `deadline` passed (the task goes on).
    static func value<T: Sendable>(of task: Task<T?, Never>, within deadline: Duration) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = Once(continuation)
            let timer = Task {
                try? await Task.sleep(for: deadline)
                once.resume(nil)
            }
            Task {
                let value = await task.value
                once.resume(value)
                timer.cancel()
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// Resumes a continuation once; later calls do nothing.
    private final class Once<T: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<T, Never>?>
        init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }
        func resume(_ value: T) {
            continuation.withLock { pending in
                pending?.resume(returning: value)
                pending = nil
            }
        }
    }
}
