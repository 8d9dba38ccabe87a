import Foundation
import HostIO
import Synchronization

/// The FUSE mounts that shared volumes are reached through, one per Gluster volume: one lock per
/// Gluster volume (a mount, an unmount, a delete through it, never two at once), and since when
/// each has been idle (no mount ID holds a volume on it), so that it is unmounted only after
/// `idle` (`releaseIdle`): a container restarted a moment later finds it mounted, and no new
/// client races the old one's exit. Who holds what is the state's (`PluginState.references`).
final class SharedMounts: Sendable {
    let fuse: FuseMounts
    let pool: BlockingPool
    private let locks = KeyedLock()
    /// Gluster volumes whose FUSE mount nobody holds, since when.
    private let idleSince = Mutex<[String: ContinuousClock.Instant]>([:])

    init(fuse: FuseMounts, pool: BlockingPool) {
        self.fuse = fuse
        self.pool = pool
    }

    /// Under the lock of `gluster`: checks (and if need be mounts or remounts) its FUSE mount and
    /// `directory` on it in one trip to the pool, then hands the path to `record` (which saves the
    /// reference) before the lock is released.
    func mount<T: Sendable>(
        _ gluster: String, directory: String, what: String, record: (String) throws -> T
    ) async throws -> T {
        try await locks.withLock(gluster) {
            idleSince.withLock { $0[gluster] = nil }
            let fuse = self.fuse
            let path = try await pool.pluginJob(what, seconds: 100) {
                try fuse.mountedPath(gluster, directory: directory)
            }
            return try record(path)
        }
    }

    /// Deletes `directory` of `gluster` through its FUSE mount (mounted for the purpose if need
    /// be, and left to `releaseIdle` afterwards unless `isHeld`).
    func delete(_ directory: String, of gluster: String, what: String, isHeld: () -> Bool) async throws {
        try await locks.withLock(gluster) {
            let fuse = self.fuse
            try await pool.pluginJob("mounting Gluster volume \(gluster)", seconds: 100) {
                try fuse.ensureMounted(gluster)
            }
            let path = fuse.configuration.mountPoint(of: gluster) + directory
            try await pool.pluginJob(what, seconds: 600) {
                guard fuse.health(of: gluster) == .mounted else { return }
                try? FileManager.default.removeItem(atPath: path)
            }
            if !isHeld() { becameIdle(gluster) }
        }
    }

    /// Nobody holds a volume on `gluster` from now on.
    func becameIdle(_ gluster: String) {
        idleSince.withLock { $0[gluster] = ContinuousClock.now }
    }

    /// Unmounts the FUSE mounts nobody has held for `idle` (and `isHeld` does not hold now).
    func releaseIdle(idle: Duration, isHeld: (String) -> Bool) async {
        let now = ContinuousClock.now
        let due = idleSince.withLock { $0.filter { now - $0.value >= idle }.map(\.key) }
        for gluster in due {
            try? await locks.withLock(gluster) {
                let stillIdle = idleSince.withLock { entries -> Bool in
                    guard let since = entries[gluster], now - since >= idle else { return false }
                    entries[gluster] = nil
                    return true
                }
                guard stillIdle, !isHeld(gluster) else { return }
                let fuse = self.fuse
                try await pool.pluginJob("unmounting \(gluster)", seconds: 60) { fuse.unmount(gluster) }
            }
        }
    }
}
