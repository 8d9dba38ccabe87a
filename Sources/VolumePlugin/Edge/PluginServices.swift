import Foundation
import Gluster
import HostIO
import Logging
import ServiceLifecycle

/// The plugin's housekeeping: `work` every `every`, until graceful shutdown.
struct Housekeeping: Service {
    let every: Duration
    let work: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                if Task.isCancelled { break }
                await work()
            }
        }
    }

    /// Unmounts the FUSE mounts nobody has held for `idle` (the mounts still held stay at
    /// shutdown: containers keep using them).
    static func idleMountSweeper(_ driver: VolumeDriver, idle: Duration) -> Housekeeping {
        Housekeeping(every: .seconds(5)) { await driver.releaseIdleMounts(idle: idle) }
    }

    /// Closes the gfapi connections no request used for `idle` (a Docker host keeps a connection
    /// per Gluster volume it uses, not per volume it ever used). At shutdown the rest are left
    /// to the process exit: glfs_fini takes ~11 s each (concurrently), and the plugin keeps
    /// nothing unwritten in gfapi (every write is a whole file, closed before the reply).
    static func gfapiKeeper(_ gfapi: GlusterVolumes, idle: Duration, logger: Logger) -> Housekeeping {
        Housekeeping(every: .seconds(60)) {
            // Each glfs_fini is a pool job with its own deadline (120 s).
            let closed = await gfapi.closeIdle(olderThan: idle)
            for connection in closed {
                let took = connection.finiDuration.map { " (glfs_fini \($0))" } ?? ""
                logger.info("closed the idle gfapi connection to \(connection.address)\(took)")
            }
        }
    }
}
