/// Where libgfapi writes its own log (`glfs_set_logging`).
///
/// The default is `/var/log/glusterfs/brickctl-gfapi.log` at level warning: failures to connect are
/// explained there (which brick refused, which server timed out) and brickctl's errors point to it.
/// Measured on glusterfs 10.3: every connect also writes the volume graph (~115 lines, ~4.5 KB)
/// whatever the level; glusterfs-common's logrotate rotates /var/log/glusterfs/*.log daily
/// (copytruncate), and long-lived processes connect once per volume. When that file cannot be
/// opened (no /var/log/glusterfs on a client-only host, not root) the handle falls back to
/// `/dev/null`, which is also gfapi's own default.
public enum GlusterLog: Sendable, Hashable {
    case file(path: String, level: Level)
    /// `/dev/null`: nothing is written.
    case discard

    public static let defaultPath = "/var/log/glusterfs/brickctl-gfapi.log"
    public static let `default` = GlusterLog.file(path: defaultPath, level: .warning)

    /// glusterfs's `gf_loglevel_t`.
    public enum Level: Int32, Sendable, Hashable, CaseIterable {
        case none = 0
        case emergency, alert, critical, error, warning, notice, info, debug, trace
    }

    /// The file gfapi writes to, or nil when discarded.
    public var path: String? {
        switch self {
        case .file(let path, _): return path
        case .discard: return nil
        }
    }
}
