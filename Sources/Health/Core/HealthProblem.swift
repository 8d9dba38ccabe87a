public import Foundation
public import Gluster
import HostIO

/// How well something works: the verdict of a brick, a volume, or the whole site.
public enum Verdict: String, Hashable, Sendable, Codable, Comparable {
    /// Everything works and is fully redundant.
    case healthy
    /// It works, but redundancy is reduced, something is running out, or work is pending.
    case degraded
    /// Something is unavailable: data, a service, the pool's glusterd.
    case broken

    private var rank: Int {
        switch self {
        case .healthy: 0
        case .degraded: 1
        case .broken: 2
        }
    }

    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }

    /// The exit code of `brickctl status`: 0 healthy, 1 degraded, 2 broken.
    public var exitCode: Int32 { Int32(rank) }
}

/// One thing wrong with the site: a typed code and the facts, no sentence (the command layer words
/// it, with the command that fixes it).
public struct HealthProblem: Hashable, Sendable, Codable {
    public enum Code: String, Hashable, Sendable, Codable, CaseIterable {
        /// This host's glusterd did not answer.
        case glusterdUnreachable = "glusterd-unreachable"
        /// A peer's glusterd is not connected to this one.
        case peerDisconnected = "peer-disconnected"
        /// A peer is connected but not a full member ("Peer Rejected", "Accepted peer request").
        case peerNotInCluster = "peer-not-in-cluster"
        /// The volume is created or stopped: it serves no client.
        case volumeNotStarted = "volume-not-started"
        /// Started, but glusterd reported no status for it.
        case volumeNotReported = "volume-not-reported"
        /// A replica (disperse, distribute) set has no copy of its files online.
        case setUnavailable = "set-unavailable"
        /// A replica set lost client quorum: writes to its files fail.
        case quorumLost = "quorum-lost"
        case brickOffline = "brick-offline"
        /// glusterd could not report the brick (its host's glusterd is unreachable).
        case brickNotReported = "brick-not-reported"
        case selfHealDaemonDown = "self-heal-daemon-down"
        case healsPending = "heals-pending"
        case splitBrain = "split-brain"
        case brickSpaceLow = "brick-space-low"
        case brickInodesLow = "brick-inodes-low"
        /// A FUSE mount of the plugin answers errors (ENOTCONN).
        case pluginMountStale = "plugin-mount-stale"
        /// Something other than glusterfs is mounted where the plugin mounts.
        case pluginMountForeign = "plugin-mount-foreign"
        /// The plugin has state on this host but nothing listens on its socket.
        case pluginNotListening = "plugin-not-listening"
        /// A Docker volume of the plugin uses most of its `-o size` quota.
        case quotaNearlyFull = "quota-nearly-full"
        case swarmNodeNotReady = "swarm-node-not-ready"
        /// A stack's service runs none of the tasks it should.
        case serviceDown = "service-down"
        /// A stack's service runs fewer tasks than it should.
        case serviceDegraded = "service-degraded"
        case certificateExpiring = "certificate-expiring"
        case certificateExpired = "certificate-expired"
        case backupTooOld = "backup-too-old"
        case backupMissing = "backup-missing"
    }

    /// The facts a problem carries; which are set depends on the code.
    public struct Facts: Hashable, Sendable, Codable {
        public var volume: String?
        public var brick: BrickAddress?
        public var host: String?
        /// 1-based index of a replica/disperse set.
        public var set: Int?
        public var count: Int?
        public var online: Int?
        public var total: Int?
        /// Free fraction (space, inodes) or used fraction (quota), 0...1.
        public var fraction: Double?
        public var file: String?
        public var days: Int?
        public var stack: String?
        public var service: String?
        /// glusterd's or the kernel's own text (a peer state, an errno message, a mount type).
        public var detail: String?
        public var ageSeconds: Int?
    }

    public var code: Code
    /// `.degraded` or `.broken`.
    public var severity: Verdict
    public var facts: Facts

    public init(_ code: Code, _ severity: Verdict, _ facts: Facts) {
        self.code = code
        self.severity = severity
        self.facts = facts
    }
}

/// Where "running out" starts. Defaults match the alert rules in scripts/prometheus.
public struct HealthThresholds: Hashable, Sendable {
    /// Free space (and inodes) below this fraction: degraded.
    public var lowFree: Double = 0.10
    /// Free space (and inodes) below this fraction: broken (writes are about to fail).
    public var criticalFree: Double = 0.03
    /// A quota used above this fraction: degraded.
    public var quotaFull: Double = 0.90
    /// A certificate that expires within this many days: degraded.
    public var certificateDays: Int = 30
    /// The newest good dump older than this: degraded.
    public var backupMaxAge: TimeInterval = 26 * 3600

    public init() {}
}
