public import Foundation
public import Gluster
public import Stack
public import VolumePlugin

/// What one host saw of the site at one moment: the input of `SiteHealth.assess` and of the
/// exporter's metrics. Plain values, read by the edge (gluster CLI, the plugin's state, docker,
/// certificate files); every part is optional because a host may be only a Gluster server, only
/// a Docker host, or both.
public struct SiteObservation: Sendable {
    /// The host that looked (`host` label of host-wide metrics).
    public var host: String
    public var now: Date
    /// nil: this host runs no glusterd (a Docker host that is only a client).
    public var gluster: GlusterObservation?
    /// nil: no plugin state on this host.
    public var plugin: PluginObservation?
    /// nil: no Swarm reachable from this host.
    public var swarm: SwarmObservation?
    /// The pool's TLS certificates found on this host (none: TLS not set up).
    public var certificates: [CertificateObservation]
    /// The newest good dump of each stack's backup service. Empty: no backup service known.
    /// (Filled from the `backup` service's status file once it exists; see `BackupObservation`.)
    public var backups: [BackupObservation]

    public init(
        host: String, now: Date = Date(), gluster: GlusterObservation? = nil, plugin: PluginObservation? = nil,
        swarm: SwarmObservation? = nil, certificates: [CertificateObservation] = [], backups: [BackupObservation] = []
    ) {
        self.host = host
        self.now = now
        self.gluster = gluster
        self.plugin = plugin
        self.swarm = swarm
        self.certificates = certificates
        self.backups = backups
    }
}

/// The trusted pool as this host's glusterd answered.
public struct GlusterObservation: Sendable {
    /// `pool list`; nil when glusterd could not be asked (then `error` says why).
    public var peers: [Peer]?
    /// Why glusterd could not be asked (its CLI's message), nil when it answered.
    public var error: String?
    public var volumes: [VolumeObservation]
    /// /var/lib/glusterd/secure-access exists (nil: unknown).
    public var managementTLS: Bool?

    public init(peers: [Peer]?, error: String? = nil, volumes: [VolumeObservation] = [], managementTLS: Bool? = nil) {
        self.peers = peers
        self.error = error
        self.volumes = volumes
        self.managementTLS = managementTLS
    }

    /// glusterd answered.
    public var glusterdUp: Bool { peers != nil }
}

/// One volume: its definition, which processes run, what is left to heal, and the bricks' disks.
public struct VolumeObservation: Sendable {
    public var info: VolumeInfo
    /// `volume status NAME`: nil when not started or not answered.
    public var status: VolumeStatus?
    /// Pending heal entries; nil when not asked, not replicated, or not answered.
    public var heal: HealInfo?
    /// `volume status NAME detail` (for the bricks' space and inodes); nil when not asked.
    public var detail: VolumeStatus?
    /// Its directory quotas (`volume quota NAME list`; the plugin's `-o size=`).
    public var quotas: [QuotaObservation]

    public init(
        info: VolumeInfo, status: VolumeStatus? = nil, heal: HealInfo? = nil, detail: VolumeStatus? = nil,
        quotas: [QuotaObservation] = []
    ) {
        self.info = info
        self.status = status
        self.heal = heal
        self.detail = detail
        self.quotas = quotas
    }

    public var name: String { info.name }

    /// The filesystem under a brick, from `detail`.
    public func disk(_ brick: BrickAddress) -> VolumeStatus.Disk? { detail?.brick(brick)?.disk }
}

/// A directory quota of a volume, and the plugin's Docker volume that directory is (if it is one).
public struct QuotaObservation: Hashable, Sendable, Codable {
    public var quota: DirectoryQuota
    /// The Docker volume whose directory this is (`-o size=`); nil for a quota set by hand.
    public var dockerVolume: String?

    public init(quota: DirectoryQuota, dockerVolume: String? = nil) {
        self.quota = quota
        self.dockerVolume = dockerVolume
    }
}

/// The Docker volume plugin on this host, read from its state file and mountinfo.
public struct PluginObservation: Sendable {
    public struct Mount: Hashable, Sendable, Codable {
        public enum State: Hashable, Sendable {
            case mounted
            /// Not mounted (the plugin unmounts what nobody holds): not a problem by itself.
            case notMounted
            /// Mounted, but `stat` of the mount point fails (ENOTCONN: the glusterfs client died).
            case stale(error: String)
            /// Something else is mounted there.
            case foreign(type: String)
        }

        public var glusterVolume: String
        public var mountPoint: String
        public var state: State

        public init(glusterVolume: String, mountPoint: String, state: State) {
            self.glusterVolume = glusterVolume
            self.mountPoint = mountPoint
            self.state = state
        }

        enum CodingKeys: String, CodingKey { case glusterVolume, mountPoint, state, detail }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(glusterVolume, forKey: .glusterVolume)
            try c.encode(mountPoint, forKey: .mountPoint)
            let (name, detail): (String, String?) =
                switch state {
                case .mounted: ("mounted", nil)
                case .notMounted: ("not-mounted", nil)
                case .stale(let error): ("stale", error)
                case .foreign(let type): ("foreign", type)
                }
            try c.encode(name, forKey: .state)
            try c.encodeIfPresent(detail, forKey: .detail)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            glusterVolume = try c.decode(String.self, forKey: .glusterVolume)
            mountPoint = try c.decode(String.self, forKey: .mountPoint)
            let detail = try c.decodeIfPresent(String.self, forKey: .detail) ?? ""
            switch try c.decode(String.self, forKey: .state) {
            case "mounted": state = .mounted
            case "stale": state = .stale(error: detail)
            case "foreign": state = .foreign(type: detail)
            default: state = .notMounted
            }
        }
    }

    /// A Docker volume of the plugin and how many mounts hold it.
    public struct Volume: Hashable, Sendable, Codable {
        public var name: String
        public var glusterVolume: String?
        public var holders: Int

        public init(name: String, glusterVolume: String?, holders: Int) {
            self.name = name
            self.glusterVolume = glusterVolume
            self.holders = holders
        }
    }

    public var socket: String
    public var listening: Bool
    public var mounts: [Mount]
    public var volumes: [Volume]
    /// What the running plugin reports on its socket (`GET /Brickctl.Metrics`): requests,
    /// latency, errors, remounts, memory. nil: not listening, or an older plugin.
    public var activity: PluginActivity?

    public init(
        socket: String, listening: Bool, mounts: [Mount], volumes: [Volume], activity: PluginActivity? = nil
    ) {
        self.socket = socket
        self.listening = listening
        self.mounts = mounts
        self.volumes = volumes
        self.activity = activity
    }
}

/// The Swarm as a manager reports it, and the tasks of the stacks it runs.
public struct SwarmObservation: Sendable {
    public var nodes: [SwarmNode]
    /// Stack name → its tasks (`docker stack ps`).
    public var stacks: [String: [StackTask]]

    public init(nodes: [SwarmNode], stacks: [String: [StackTask]] = [:]) {
        self.nodes = nodes
        self.stacks = stacks
    }
}

/// One certificate of the pool's TLS files (no key material).
public struct CertificateObservation: Hashable, Sendable, Codable {
    public var file: String
    public var subject: String
    public var notAfter: Date

    public init(file: String, subject: String, notAfter: Date) {
        self.file = file
        self.subject = subject
        self.notAfter = notAfter
    }
}

/// The newest good dump of a stack's backup service, read from the `status.json` it writes
/// beside its dumps on the stack's `NAME_backups` volume (`BackupStatus`, issue 17).
/// `newestGoodDump` nil means the service is known but has no good dump yet.
public struct BackupObservation: Hashable, Sendable, Codable {
    public var stack: String
    public var newestGoodDump: Date?
    /// The newest good dump's file name.
    public var file: String?
    /// Whether the service's last attempt succeeded (nil: not known).
    public var lastAttemptOk: Bool?
    /// The service's last failure, if any since it started.
    public var lastError: String?
    /// Where the status file was read (a path, or `gfapi VOLUME:PATH`).
    public var source: String?
}
