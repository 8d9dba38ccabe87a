import Foundation
import Glibc
import Gluster
public import HostIO
import Synchronization

/// The plugin's operations — what Docker's Create/Remove/Mount/Unmount/Get/List ask for — carried
/// out on this host: decisions from `PluginState`, blocking work on the `BlockingPool`, one lock
/// per Docker volume for Create/Remove and one per Gluster volume for its FUSE mount.
public final class VolumeDriver: Sendable {
    public let configuration: PluginConfiguration
    public let host: String
    let pool: BlockingPool
    let fuse: FuseMounts
    let localRoot: LocalRoot
    let gfapi: GlusterVolumes
    let store: PluginStore
    /// The volumes other hosts made, from the markers on Gluster (for List).
    let markers = MarkerCatalog { line in FileHandle.standardError.write(Data("brickctl plugin: \(line)\n".utf8)) }
    let volumeLocks = KeyedLock()
    let fuseLocks = KeyedLock()
    /// Gluster volumes whose FUSE mount nobody holds, since when.
    let idleSince = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Loads the saved state (references are dropped after a reboot) and re-adopts nothing yet:
    /// FUSE mounts are checked on the first Mount, so the socket listens at once.
    /// - Throws: `PluginError` when the state directory cannot be made or the state file is damaged.
    public convenience init(configuration: PluginConfiguration, pool: BlockingPool) throws {
        try self.init(configuration: configuration, pool: pool, gfapi: .shared)
    }

    init(configuration: PluginConfiguration, pool: BlockingPool, gfapi: GlusterVolumes) throws {
        self.configuration = configuration
        self.pool = pool
        self.gfapi = gfapi
        self.host = configuration.host ?? ProcessInfo.processInfo.hostName
        fuse = FuseMounts(configuration: configuration, clientOptions: VolumeProfile.web.clientMountOptions)
        localRoot = LocalRoot(path: configuration.localRoot)
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.stateDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw PluginError(.io, "cannot make the state directory \(configuration.stateDirectory)", cause: "\(error)")
        }
        store = try PluginStore(stateFile: configuration.stateFile, referencesFile: configuration.referencesFile)
    }

    /// A copy of the state (for Get, List, status).
    public var snapshot: PluginState { store.snapshot }

    /// Something to log about the state found at start, or nil.
    public var startNote: String? { store.startNote }

    /// Applies `change` and saves it before returning (see `PluginStore.update`).
    @discardableResult
    func update<T>(_ change: (inout PluginState) throws(PluginError) -> T) throws(PluginError) -> T {
        try store.update(change)
    }

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
                try update { $0.volumes[name] = made }
            }
        }
    }

    /// Makes the volume's directory (idempotent). A shared volume another host's plugin made
    /// already (its marker exists) is adopted when the settings match.
    private func make(_ volume: PluginVolume) async throws -> PluginVolume {
        switch volume.kind {
        case .local:
            let localRoot = self.localRoot
            try await blocking("making local volume \(volume.name)", seconds: 60) {
                let root = try localRoot.verified()
                let path = "\(root)/\(volume.name)"
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                } else if !isDirectory.boolValue {
                    throw PluginError(
                        .conflict, "\(path) exists and is not a directory: move it away or use another name")
                }
                try Self.own(path, volume)
            }
            return volume
        case .shared:
            let handle = try await glusterHandle(volume.glusterVolume!)
            let (made, isNew) = try await blocking(
                "making \(volume.name) on Gluster volume \(volume.glusterVolume!)", seconds: 60
            ) { () throws -> (PluginVolume, Bool) in
                if let data = try? handle.readFile(volume.glusterMarker, limit: 1 << 20) {
                    let existing = try MarkerListing.volume(
                        named: volume.name, marker: data, glusterVolume: volume.glusterVolume!)
                    guard existing.sameSettings(as: volume) else {
                        throw PluginError(
                            .conflict,
                            "volume \(volume.name) exists on Gluster volume \(volume.glusterVolume!) with \(existing.optionsText) (made on \(existing.createdOn)); asked for \(volume.optionsText): use the same options or another name"
                        )
                    }
                    _ = try Self.gluster {
                        try handle.makeDirectory(
                            volume.glusterDirectory, mode: volume.mode, owner: volume.owner, createParents: true)
                    }
                    return (existing, false)
                }
                _ = try Self.gluster {
                    try handle.makeDirectory(
                        volume.glusterDirectory, mode: volume.mode, owner: volume.owner, createParents: true)
                }
                return (volume, true)
            }
            guard isNew else { return made }
            // The quota before the marker: a Create that cannot set it leaves no marker behind, so
            // a second Create with the same options does not find a volume without its limit.
            if let size = volume.size { try await setQuota(volume, size: size) }
            try await blocking("writing the marker of \(volume.name) on \(volume.glusterVolume!)", seconds: 60) {
                _ = try Self.gluster {
                    try handle.makeDirectory(PluginVolume.glusterMarkerRoot, mode: 0o700, createParents: true)
                }
                try Self.gluster {
                    try handle.replaceFile(volume.glusterMarker, PluginState.marker(volume), mode: 0o600)
                }
            }
            return made
        }
    }

    public func remove(name: String) async throws {
        try await volumeLocks.withLock(name) {
            guard case .forget(let volume, let deleteFiles) = try snapshot.decideRemove(name) else { return }
            switch volume.kind {
            case .local:
                if deleteFiles, let root = configuration.localRoot {
                    try await blocking("deleting \(name)", seconds: 600) {
                        try? FileManager.default.removeItem(atPath: "\(root)/\(name)")
                    }
                }
            case .shared:
                let gluster = volume.glusterVolume!
                if let handle = try? await glusterHandle(gluster) {
                    try await blocking("forgetting \(name) on Gluster", seconds: 30) {
                        try? handle.unlink(volume.glusterMarker)
                    }
                }
                if deleteFiles { try await deleteSharedFiles(volume) }
            }
            try update {
                $0.volumes[name] = nil
                $0.references.drop(volume: name)
            }
        }
    }

    /// Deletes a shared volume's files through the FUSE mount (mounted for the purpose if needed).
    private func deleteSharedFiles(_ volume: PluginVolume) async throws {
        let gluster = volume.glusterVolume!
        try await fuseLocks.withLock(gluster) {
            try await ensureMounted(gluster)
            let path = configuration.mountPoint(of: gluster) + volume.glusterDirectory
            let fuse = self.fuse
            try await blocking("deleting \(volume.name)", seconds: 600) {
                guard fuse.health(of: gluster) == .mounted else { return }
                try? FileManager.default.removeItem(atPath: path)
            }
            if !snapshot.isFuseMountHeld(gluster) { idleSince.withLock { $0[gluster] = ContinuousClock.now } }
        }
    }

    // MARK: Mount / Unmount

    /// Mounts `name` for mount `id` and returns the path to hand to Docker.
    public func mount(name: String, id: String) async throws -> String {
        let volume = try await known(name)
        switch volume.kind {
        case .local:
            let localRoot = self.localRoot
            let path = try await blocking("checking local volume \(name)", seconds: 30) { () throws -> String in
                let path = "\(try localRoot.verified())/\(name)"
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue
                else {
                    throw PluginError(
                        .notFound,
                        "\(path) is missing: the local volume's directory was deleted; remove the volume and create it again"
                    )
                }
                return path
            }
            try update { $0.recordMount(name, id: id) }
            return path
        case .shared:
            let gluster = volume.glusterVolume!
            return try await fuseLocks.withLock(gluster) {
                idleSince.withLock { $0[gluster] = nil }
                let fuse = self.fuse
                // One trip to the pool: check (and if need be mount) the FUSE mount, then the directory.
                let path = try await blocking("mounting \(name) from Gluster volume \(gluster)", seconds: 100) {
                    try fuse.mountedPath(gluster, directory: volume.glusterDirectory)
                }
                try update { $0.recordMount(name, id: id) }
                return path
            }
        }
    }

    /// Releases one mount of `name` by `id`. The FUSE mount is released only when no ID holds any
    /// volume on it, and only after `idleUnmount` (by `releaseIdleMounts`): a container restarted
    /// a moment later finds it mounted, and no new client races the old one's exit.
    public func unmount(name: String, id: String) async throws {
        guard let gluster = try update({ $0.recordUnmount(name, id: id) }) else { return }
        idleSince.withLock { $0[gluster] = ContinuousClock.now }
    }

    /// Unmounts the FUSE mounts nobody has held for `idle`; the plugin calls it every few seconds.
    public func releaseIdleMounts(idle: Duration) async {
        let now = ContinuousClock.now
        let due = idleSince.withLock { $0.filter { now - $0.value >= idle }.map(\.key) }
        for gluster in due {
            try? await fuseLocks.withLock(gluster) {
                let stillIdle = idleSince.withLock { entries -> Bool in
                    guard let since = entries[gluster], now - since >= idle else { return false }
                    entries[gluster] = nil
                    return true
                }
                guard stillIdle, !snapshot.isFuseMountHeld(gluster) else { return }
                let fuse = self.fuse
                try await blocking("unmounting \(gluster)", seconds: 60) { fuse.unmount(gluster) }
            }
        }
    }

    /// Mounts the Gluster volume if it is not, remounts a stale mount. Call under its fuse lock.
    private func ensureMounted(_ gluster: String) async throws {
        let fuse = self.fuse
        try await blocking("mounting Gluster volume \(gluster)", seconds: 100) { try fuse.ensureMounted(gluster) }
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
        switch volume.kind {
        case .local: return "\(configuration.localRoot ?? "")/\(volume.name)"
        case .shared: return configuration.mountPoint(of: volume.glusterVolume!) + volume.glusterDirectory
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
        let adopted: PluginVolume
        do {
            let handle = try await glusterHandle(gluster, seconds: 5)
            let marker = "\(PluginVolume.glusterMarkerRoot)/\(name).json"
            adopted = try await blocking("looking up \(name) on Gluster", seconds: 5) {
                guard let data = try? handle.readFile(marker, limit: 1 << 20) else {
                    throw PluginError(.notFound, "no volume \(name)")
                }
                return try MarkerListing.volume(named: name, marker: data, glusterVolume: gluster)
            }
        } catch let error as PluginError where error.code == .notFound || error.code == .damagedMarker {
            throw error
        } catch {
            throw PluginError(
                .notFound, "no volume \(name) here, and Gluster volume \(gluster) could not be asked", cause: "\(error)"
            )
        }
        return try await volumeLocks.withLock(name) {
            try update { state in
                if let existing = state.volumes[name] { return existing }
                state.volumes[name] = adopted
                return adopted
            }
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
        var listing = MarkerListing()
        for gluster in glusterVolumes {
            let handle = try await glusterHandle(gluster, seconds: 10)
            let files = try await blocking("reading the volume markers on \(gluster)", seconds: 10) {
                () throws -> [String: Data] in
                let names: [String]
                do {
                    names = try handle.directoryNames(PluginVolume.glusterMarkerRoot)
                } catch let error as GlusterAPIError where error.kind == .notFound {
                    return [:]
                }
                var files: [String: Data] = [:]
                for name in names where MarkerListing.volumeName(ofMarker: name) != nil {
                    // A marker removed meanwhile is no volume; one that cannot be read counts as damaged.
                    do {
                        files[name] = try handle.readFile("\(PluginVolume.glusterMarkerRoot)/\(name)", limit: 1 << 20)
                    } catch let error as GlusterAPIError where error.kind == .notFound {
                        continue
                    } catch let error as GlusterAPIError where error.kind == .invalidArgument {
                        continue  // a directory, or over 1 MiB: not a marker brickctl wrote
                    }
                }
                return files
            }
            listing.merge(MarkerListing(glusterVolume: gluster, files: files))
        }
        return listing
    }

    // MARK: Helpers

    private func glusterHandle(_ gluster: String, seconds: Double = 30) async throws -> GlusterVolumeHandle {
        guard !configuration.servers.isEmpty else {
            throw PluginError(
                .noGlusterVolume, "no Gluster server is configured: start the plugin with --servers HOST1,HOST2")
        }
        let servers = configuration.servers
        // A brick that refuses this host (auth.allow) makes gfapi wait out the timeout; its log
        // says why: then the error says which address to allow.
        let log = gfapi.log.path
        let logSize = log.flatMap { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? 0 } ?? 0
        let refusal = {
            "cannot connect to Gluster volume \(gluster): \(AuthRefusal.advice(volume: gluster, clientAddress: HostAddresses.sourceAddress(toward: servers[0])))"
        }
        do {
            return try await gfapi.handle(
                GlusterVolumeAddress(volume: gluster, servers: servers), timeout: .seconds(Int(seconds)))
        } catch let error as GlusterAPIError {
            // gfapi's own watch saw the refusal (a typed error): say at once which address to allow.
            // (Re-reading the log, below, missed it now and then.)
            if error.operation == .connect && error.kind == .permissionDenied {
                throw PluginError(.gluster, refusal(), cause: error.message)
            }
            let pluginError = PluginError(gfapi: error)
            guard let log, AuthRefusal.isRefusal(FuseMounts.errorLines(log: log, from: logSize, last: 50)) else {
                throw pluginError
            }
            throw PluginError(.gluster, refusal(), cause: pluginError.message)
        }
    }

    /// Blocking work on the pool, its deadline passing as a `timed-out` plugin error.
    func blocking<T: Sendable>(_ what: String, seconds: Double, _ body: @escaping @Sendable () throws -> T)
        async throws -> T
    {
        do {
            return try await pool.run(what, seconds: seconds, body)
        } catch let error as BlockingPool.TimedOut {
            throw PluginError(.timedOut, error.description)
        }
    }

    /// gfapi errors as plugin errors (their message already names the volume, path and fix).
    static func gluster<T>(_ body: () throws -> T) throws(PluginError) -> T {
        do {
            return try body()
        } catch let error as PluginError {
            throw error
        } catch let error as GlusterAPIError {
            throw PluginError(gfapi: error)
        } catch {
            throw PluginError(.gluster, "\(error)")
        }
    }

    static func own(_ path: String, _ volume: PluginVolume) throws(PluginError) {
        if chmod(path, mode_t(volume.mode)) != 0 {
            throw PluginError(
                .io, "cannot set mode \(String(volume.mode, radix: 8)) on \(path)",
                cause: String(cString: strerror(errno)))
        }
        if volume.uid != nil || volume.gid != nil,
            chown(path, volume.uid ?? UInt32.max, volume.gid ?? UInt32.max) != 0
        {
            throw PluginError(
                .io,
                "cannot give \(path) to \(volume.uid.map(String.init) ?? "-"):\(volume.gid.map(String.init) ?? "-")",
                cause: String(cString: strerror(errno)))
        }
    }

    /// Quota on for the Gluster volume (if it is not) and the volume's directory limited to `size`,
    /// through this host's glusterd.
    func setQuota(_ volume: PluginVolume, size: String) async throws(PluginError) {
        let cli = GlusterCLI(pool: pool)
        let gluster = volume.glusterVolume!
        do {
            try await cli.enableQuota(gluster)
            // Exact limits: with gluster's cached usage (60 s below the soft limit) writes pass it.
            try await cli.setQuotaTimeouts(gluster, soft: 0, hard: 0)
        } catch {
            throw PluginError(
                .quota,
                "cannot enable quota on Gluster volume \(gluster) for -o size=\(size): run the plugin on a Gluster server of the pool, or leave -o size out",
                cause: "\(error)")
        }
        do {
            try await cli.limitUsage(gluster, directory: volume.glusterDirectory, size: size)
        } catch {
            throw PluginError(
                .quota, "cannot limit \(volume.name) to \(size) on Gluster volume \(gluster)", cause: "\(error)")
        }
    }
}

extension PluginVolume {
    var owner: FileOwner? {
        guard uid != nil || gid != nil else { return nil }
        return FileOwner(uid: uid ?? 0, gid: gid ?? 0)
    }
}

extension PluginError {
    /// A gfapi error as the plugin's (its message already names the volume, path and fix).
    init(gfapi error: GlusterAPIError) {
        self.init(error.kind == .timedOut ? .timedOut : .gluster, error.message)
    }
}
