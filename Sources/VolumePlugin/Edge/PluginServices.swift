import Gluster
import HostIO
import ServiceLifecycle

/// Unmounts the FUSE mounts nobody has held for `idle`, every `every`; ends at graceful shutdown
/// (the mounts stay: containers keep using them).
struct IdleMountSweeper: Service {
    let driver: VolumeDriver
    let idle: Duration
    var every: Duration = .seconds(5)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                if Task.isCancelled { break }
                await driver.releaseIdleMounts(idle: idle)
            }
        }
    }
}

/// The plugin's gfapi connections: closes the ones no request used for `idle` (a Docker host
/// keeps a connection per Gluster volume it uses, not per volume it ever used), checking every
/// `every`. Ends at graceful shutdown without closing the rest: glfs_fini takes ~11 s each
/// (concurrently), while the process exit releases them as well; the plugin keeps nothing
/// unwritten in gfapi (every write is a whole file, closed before the reply).
struct GlusterConnectionKeeper: Service {
    let gfapi: GlusterVolumes
    let pool: BlockingPool
    let idle: Duration
    var every: Duration = .seconds(60)

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                if Task.isCancelled { break }
                let (gfapi, idle) = (self.gfapi, self.idle)
                // closeIdle waits for its closing threads (bounded at 120 s); the pool's bound is a second one.
                _ = try? await pool.run("closing idle gfapi connections", seconds: 150) {
                    gfapi.closeIdle(olderThan: idle).count
                }
            }
        }
    }
}
