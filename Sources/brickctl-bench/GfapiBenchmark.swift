import ArgumentParser
import Foundation
import Gluster
import HostIO

/// `brickctl-bench gfapi VOLUME --runs N [--server HOST]...`, run by scripts/bench/gfapi.
///
/// Times what the gfapi layer costs, in one process: connect, first statvfs, N cached
/// lookups+statvfs, a probe, glfs_fini of every handle at once (shutdown), and a handle dropped
/// without close (its fini runs on a background thread while the process exits). Prints JSON.
struct GfapiBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gfapi",
        abstract: "Time the gfapi layer in one process (connect, cached statvfs, probe, shutdown); print JSON."
    )

    @Argument(help: "The volume's name.")
    var volume: String

    @Option(help: "Cached lookups + statvfs to time.")
    var runs: Int = 1000

    @Option(
        name: .customLong("server"),
        help: ArgumentHelp("A glusterd host; repeat for backups (default: localhost).", valueName: "host"))
    var servers: [String] = []

    @Option(help: ArgumentHelp("Seconds to wait for the volume to come online.", valueName: "seconds"))
    var timeout: Double = 20

    struct Figures: Encodable {
        var volume: String
        var servers: [String]
        var runs: Int
        var initMs: Double
        var firstStatvfsMs: Double
        var cachedLookupNsMedian: Double
        var cachedStatvfsMsMedian: Double
        var cachedStatvfsMsP99: Double
        var probeMs: [String: Double]
        var extraHandlesInitMs: [Double]
        var shutdownHandles: Int
        var finiSeconds: [Double]
        var shutdownWallSeconds: Double
        var dropWithoutCloseMs: Double
    }

    func run() async throws {
        let clock = ContinuousClock()
        let pool = BlockingPool.shared
        let runs = max(1, self.runs)
        let servers = servers.isEmpty ? ["localhost"] : servers
        let cache = GlusterVolumes.shared
        let handle = try await cache.handle(
            volume: volume, servers: servers, timeout: .milliseconds(Int(timeout * 1000)))
        var start = clock.now
        _ = try handle.statvfs()
        let first = clock.now - start

        var lookups: [Duration] = []
        var statvfs: [Duration] = []
        for _ in 0..<runs {
            start = clock.now
            let h = try await cache.handle(volume: volume, servers: servers)
            let looked = clock.now
            _ = try h.statvfs()
            lookups.append(looked - start)
            statvfs.append(clock.now - looked)
        }
        let probe = try VolumeHealthProbe().run(on: handle)

        // One more handle per server (each its own cache key), to see shutdown close them at once.
        var extra: [Double] = []
        if servers.count > 1 {
            for server in servers {
                extra.append(Self.ms(try await cache.handle(volume: volume, servers: [server]).initDuration))
            }
        }
        start = clock.now
        let closed = await cache.shutdown()
        let wall = clock.now - start

        // A handle nobody closes: deinit hands glfs_fini to a pool job; the process exits meanwhile.
        var dropped: GlusterVolumeHandle? = try await GlusterVolumeHandle.connect(
            volume: volume, servers: servers, on: pool)
        start = clock.now
        dropped = nil
        let drop = clock.now - start
        _ = dropped

        let figures = Figures(
            volume: volume, servers: servers, runs: runs, initMs: Self.ms(handle.initDuration),
            firstStatvfsMs: Self.ms(first),
            cachedLookupNsMedian: (Self.quantile(lookups, 0.5) * 1e6).rounded(),
            cachedStatvfsMsMedian: (Self.quantile(statvfs, 0.5) * 1000).rounded() / 1000,
            cachedStatvfsMsP99: (Self.quantile(statvfs, 0.99) * 1000).rounded() / 1000,
            probeMs: Dictionary(uniqueKeysWithValues: probe.steps.map { ($0.step.rawValue, Self.ms($0.duration)) }),
            extraHandlesInitMs: extra, shutdownHandles: closed.count,
            finiSeconds: closed.compactMap { $0.finiDuration.map { Self.ms($0).rounded() / 1000 } }.sorted(),
            shutdownWallSeconds: Self.ms(wall).rounded() / 1000, dropWithoutCloseMs: Self.ms(drop))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(figures), as: UTF8.self))
    }

    /// Milliseconds, rounded to 0.01 ms.
    static func ms(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) * 1000 + Double(attoseconds) / 1e15) * 100).rounded() / 100
    }

    /// The q-quantile in milliseconds (nearest rank), unrounded.
    static func quantile(_ durations: [Duration], _ q: Double) -> Double {
        let sorted = durations.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }
            .sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)]
    }
}
