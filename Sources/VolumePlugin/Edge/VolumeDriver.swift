import Foundation
import Glibc
import Gluster
public import HostIO
public import Logging
import Synchronization

/// The plugin's operations — what Docker's Create/Remove/Mount/Unmount/Get/List ask for — carried
/// out on this host: decisions from `PluginState`, blocking work on the `BlockingPool`, one lock
/// per Docker volume for Create/Remove and one per Gluster volume for its FUSE mount.
public final class VolumeDriver: Sendable {
    public let configuration: PluginConfiguration
    public let host: String
    let pool: BlockingPool
    /// Shared volumes' FUSE mounts, one per Gluster volume.
    let mounts: SharedMounts
    let localRoot: LocalRoot
    /// Shared volumes' directories, quotas and markers on Gluster.
    let shared: SharedVolumes
    let store: PluginStore
    /// Where the plugin's lines go (the ServiceGroup's logger).
    public let logger: Logger
    /// The volumes other hosts made, from the markers on Gluster (for List).
    let markers: MarkerCatalog
    /// One lock per Docker volume, for Create and Remove.
    let volumeLocks = KeyedLock()

    /// Loads the saved state (references are dropped after a reboot) and re-adopts nothing yet:
    /// FUSE mounts are checked on the first Mount, so the socket listens at once.
    /// - Throws: `PluginError` when the state directory cannot be made or the state file is damaged.
    public convenience init(configuration: PluginConfiguration, pool: BlockingPool, logger: Logger = .plugin()) throws {
        try self.init(configuration: configuration, pool: pool, gfapi: .shared, logger: logger)
    }

    init(configuration: PluginConfiguration, pool: BlockingPool, gfapi: GlusterVolumes, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        markers = MarkerCatalog { line in logger.info("\(line)") }
        self.pool = pool
        shared = SharedVolumes(configuration: configuration, pool: pool, gfapi: gfapi)
        self.host = configuration.host ?? ProcessInfo.processInfo.hostName
        mounts = SharedMounts(
            fuse: FuseMounts(configuration: configuration, clientOptions: VolumeProfile.web.clientMountOptions),
            pool: pool)
        localRoot = LocalRoot(path: configuration.localRoot)
        store = try PluginStore(configuration)
    }

    /// A copy of the state (for Get, List, status).
    public var snapshot: PluginState { store.snapshot }

    /// Something to log about the state found at start, or nil.
    public var startNote: String? { store.startNote }

    // MARK: Create / Remove

    public func create(name: String, options: [String: String]) async throws {
        let requested = try VolumeOptions.volume(
            name: name, options: options, defaultGlusterVolume: configuration.volume, host: host)
        try await volumeLocks.withLock(name) {
            switch try snapshot.decideCreate(requested) {
            case .exists:
                return
            case .make(let volume):
                let made = try await make(volume)
                try store.update { $0.volumes[name] = made }
            }
        }
    }

    /// Makes the volume's directory (idempotent). A shared volume another host's plugin made
    /// already (its marker exists) is adopted when the settings match (`decideMarker`).
    private func make(_ volume: PluginVolume) async throws -> PluginVolume {
        switch volume.backing {
        case .local:
            let localRoot = self.localRoot
            try await blocking("making local volume \(volume.name)", seconds: 60) {
                try localRoot.makeDirectory(of: volume)
            }
            return volume
        case .shared(let gluster, let size):
            return try await shared.make(volume, on: gluster, size: size)
        }
    }

    public func remove(name: String) async throws {
        try await volumeLocks.withLock(name) {
            guard case .forget(let volume, let deleteFiles) = try snapshot.decideRemove(name) else { return }
            switch volume.backing {
            case .local:
                if deleteFiles, let root = configuration.localRoot {
                    try await blocking("deleting \(name)", seconds: 600) {
                        try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
                    }
                }
            case .shared(let gluster, _):
                try await shared.forget(volume, on: gluster)
                if deleteFiles {
                    try await mounts.delete(volume.glusterDirectory, of: gluster, what: "deleting \(name)") {
                        snapshot.isFuseMountHeld(gluster)
                    }
                }
            }
            try store.update {
                $0.volumes[name] = nil
                $0.references.drop(volume: name)
            }
        }
    }

    // MARK: Mount / Unmount

    /// Mounts `name` for mount `id` and returns the path to hand to Docker.
    public func mount(name: String, id: String) async throws -> String {
        let volume = try await known(name)
        switch volume.backing {
        case .local:
            let localRoot = self.localRoot
            let path = try await blocking("checking local volume \(name)", seconds: 30) {
                try localRoot.directory(of: name)
            }
            try store.update { $0.recordMount(name, id: id) }
            return path
        case .shared(let gluster, _):
            return try await mounts.mount(
                gluster, directory: volume.glusterDirectory, what: "mounting \(name) from Gluster volume \(gluster)"
            ) { path in
                try store.update { $0.recordMount(name, id: id) }
                return path
            }
        }
    }

    /// Releases one mount of `name` by `id`. The FUSE mount is released only when no ID holds any
    /// volume on it, and only after `idleUnmount` (by `releaseIdleMounts`): a container restarted
    /// a moment later finds it mounted, and no new client races the old one's exit.
    public func unmount(name: String, id: String) async throws {
        guard let gluster = try store.update({ $0.recordUnmount(name, id: id) }) else { return }
        mounts.becameIdle(gluster)
    }

    /// Unmounts the FUSE mounts nobody has held for `idle`; the plugin calls it every few seconds.
    public func releaseIdleMounts(idle: Duration) async {
        await mounts.releaseIdle(idle: idle) { snapshot.isFuseMountHeld($0) }
    }

    // MARK: Get / List / Path

    /// What Docker sees of a volume: its mount point (empty while nobody holds it) and status.
    public struct Description: Sendable {
        public var volume: PluginVolume
        public var mountpoint: String
        public var holders: [String: Int]
    }

    public func describe(_ volume: PluginVolume, in state: PluginState) -> Description {
        let holders = state.references.holders[volume.name] ?? [:]
        return Description(volume: volume, mountpoint: holders.isEmpty ? "" : path(of: volume), holders: holders)
    }

    func path(of volume: PluginVolume) -> String {
        switch volume.backing {
        case .local: return "\(configuration.localRoot ?? "")/\(volume.name)"
        case .shared(let gluster, _): return configuration.mountPoint(of: gluster) + volume.glusterDirectory
        }
    }

    /// A volume from local state; if unknown here, one another host's plugin made (its marker on
    /// the default Gluster volume), adopted. Throws `not-found` otherwise.
    public func known(_ name: String) async throws -> PluginVolume {
        if let volume = snapshot.volumes[name] { return volume }
        try VolumeName.validate(name)
        guard let gluster = configuration.volume, !configuration.servers.isEmpty else {
            throw PluginError(.notFound, "no volume \(name)")
        }
        let adopted = try await shared.lookUp(name, on: gluster)
        return try await volumeLocks.withLock(name) {
            try store.update { $0.adopt(adopted) }
        }
    }

    /// Every volume for Docker's List: those known here and those whose marker is on a Gluster
    /// volume this plugin serves (made by another host's plugin), with their mount points here.
    public func list() async -> [(name: String, mountpoint: String)] {
        let remote = await markers.listing { [self] in try await readMarkers() }
        let state = snapshot
        var all = state.volumes
        for (name, volume) in remote.volumes where all[name] == nil { all[name] = volume }
        return all.values.sorted { $0.name < $1.name }.map { ($0.name, describe($0, in: state).mountpoint) }
    }

    /// Starts reading the markers at once (the first List then finds them).
    public func warmUpList() {
        markers.warmUp { [self] in try await readMarkers() }
    }

    /// Reads the markers folder of the default Gluster volume and of every Gluster volume a known
    /// shared volume is on (gfapi readdir + one read per marker). None without servers.
    func readMarkers() async throws -> MarkerListing {
        guard !configuration.servers.isEmpty else { return MarkerListing() }
        let glusterVolumes = Set(
            [configuration.volume].compactMap { $0 } + snapshot.volumes.values.compactMap(\.glusterVolume)
        ).sorted()
        return try await shared.readMarkers(of: glusterVolumes)
    }

    // MARK: Helpers

    /// Blocking work on the pool, its deadline passing as a `timed-out` plugin error.
    func blocking<T: Sendable>(_ what: String, seconds: Double, _ body: @escaping @Sendable () throws -> T)
        async throws -> T
    {
        try await pool.pluginJob(what, seconds: seconds, body)
    }
}
