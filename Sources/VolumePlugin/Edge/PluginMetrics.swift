public import Foundation
import Glibc
import HostIO
import Synchronization

/// The process's `PluginActivity`, recorded by the server (every answered request) and by the
/// FUSE mounts (every mount and remount), read by `GET /Brickctl.Metrics` on the plugin's socket.
public final class PluginMetrics: Sendable {
    /// The plugin process's one copy.
    public static let shared = PluginMetrics()

    private let activity: Mutex<PluginActivity>

    public init(startedAt: Date = Date()) {
        activity = Mutex(PluginActivity(startedAt: startedAt.timeIntervalSince1970))
    }

    /// Counts one answered request (`error` nil: answered fine).
    public func record(endpoint: String, duration: Duration, error: (any Error)?) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        let code = error.map { ($0 as? PluginError)?.code.rawValue ?? "other" }
        activity.withLock { $0.record(endpoint: endpoint, seconds: seconds, errorCode: code) }
    }

    /// Counts a FUSE mount of `glusterVolume` (`remount`: it replaced a stale one).
    public func recordMount(_ glusterVolume: String, remount: Bool) {
        activity.withLock { $0.recordMount(glusterVolume, remount: remount) }
    }

    /// A copy, with the process's resident memory now (/proc/self/statm).
    public func snapshot() -> PluginActivity {
        var copy = activity.withLock { $0 }
        copy.residentBytes = Self.residentBytes() ?? 0
        return copy
    }

    /// VmRSS of this process: the second field of /proc/self/statm, in pages.
    static func residentBytes() -> Int? {
        guard let text = ProcFile.read("/proc/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
