import Foundation
import Gluster
import HostIO

/// The Gluster side of shared volumes: their directories, quotas and markers (the descriptions by
/// which every host's plugin knows them), through gfapi (one cached connection per Gluster
/// volume) and this host's glusterd (quota). The decisions are `PluginState`'s; this does the I/O.
struct SharedVolumes: Sendable {
    let configuration: PluginConfiguration
    let pool: BlockingPool
    let gfapi: GlusterVolumes

    /// Makes the directory of `volume` on `gluster` (idempotent), limited to `size` when given,
    /// and writes its marker. A volume another host's plugin made already (its marker exists) is
    /// adopted when the settings match (`PluginState.decideMarker`). Returns the volume as known
    /// afterwards (the marker's, when adopted).
    func make(_ volume: PluginVolume, on gluster: String, size: String?) async throws -> PluginVolume {
        let handle = try await handle(gluster)
        let decision = try await pool.pluginJob("making \(volume.name) on Gluster volume \(gluster)", seconds: 60) {
            () throws -> PluginState.MarkerDecision in
            let marker = try (try? handle.readFile(volume.glusterMarker, limit: 1 << 20)).map {
                try MarkerListing.volume(named: volume.name, marker: $0, glusterVolume: gluster)
            }
            let decision = try PluginState.decideMarker(marker, for: volume)
            _ = try Self.gluster {
                try handle.makeDirectory(
                    volume.glusterDirectory, mode: volume.mode, owner: volume.owner, createParents: true)
            }
            return decision
        }
        if case .adopt(let existing) = decision { return existing }
        // The quota before the marker: a Create that cannot set it leaves no marker behind, so
        // a second Create with the same options does not find a volume without its limit.
        if let size { try await setQuota(volume, on: gluster, size: size) }
        try await pool.pluginJob("writing the marker of \(volume.name) on \(gluster)", seconds: 60) {
            _ = try Self.gluster {
                try handle.makeDirectory(PluginVolume.glusterMarkerRoot, mode: 0o700, createParents: true)
            }
            try Self.gluster {
                try handle.replaceFile(volume.glusterMarker, PluginState.marker(volume), mode: 0o600)
            }
        }
        return volume
    }

    /// Deletes the marker of `volume` on `gluster` (other hosts forget it); a Gluster volume that
    /// cannot be reached or a marker already gone changes nothing.
    func forget(_ volume: PluginVolume, on gluster: String) async throws {
        guard let handle = try? await handle(gluster) else { return }
        try await pool.pluginJob("forgetting \(volume.name) on Gluster", seconds: 30) {
            try? handle.unlink(volume.glusterMarker)
        }
    }

    /// The volume `name` another host's plugin made on `gluster`, from its marker.
    /// - Throws: `PluginError`: `not-found` without a marker, or when Gluster could not be asked;
    ///   `damaged-marker`.
    func lookUp(_ name: String, on gluster: String) async throws -> PluginVolume {
        do {
            let handle = try await handle(gluster, seconds: 5)
            let marker = "\(PluginVolume.glusterMarkerRoot)/\(name).json"
            return try await pool.pluginJob("looking up \(name) on Gluster", seconds: 5) {
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
    }

    /// Reads the markers folder of each of `glusterVolumes` (gfapi readdir + one read per marker).
    func readMarkers(of glusterVolumes: [String]) async throws -> MarkerListing {
        var listing = MarkerListing()
        for gluster in glusterVolumes {
            let handle = try await handle(gluster, seconds: 10)
            let files = try await pool.pluginJob("reading the volume markers on \(gluster)", seconds: 10) {
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

    /// The gfapi connection to `gluster`. A brick that refuses this host (auth.allow) is seen
    /// once, by gfapi's own watch of its log while it connects (a typed `.permissionDenied`):
    /// the error then says which address to allow (cause `.refused`).
    private func handle(_ gluster: String, seconds: Double = 30) async throws -> GlusterVolumeHandle {
        let servers = configuration.servers
        guard let first = servers.first else {
            throw PluginError(
                .noGlusterVolume, PluginConfiguration.noServers)
        }
        do {
            return try await gfapi.handle(
                GlusterVolumeAddress(volume: gluster, servers: servers), timeout: .seconds(Int(seconds)))
        } catch let error as GlusterAPIError {
            guard error.operation == .connect && error.kind == .permissionDenied else {
                throw PluginError(gfapi: error)
            }
            throw PluginError(
                .gluster,
                "cannot connect to Gluster volume \(gluster): \(AuthRefusal.ofThisHost(volume: gluster, toward: first).pluginHint)",
                because: .refused(error.message))
        }
    }

    /// Quota on for the Gluster volume (if it is not) and the volume's directory limited to `size`,
    /// through this host's glusterd.
    func setQuota(_ volume: PluginVolume, on gluster: String, size: String) async throws(PluginError) {
        let cli = GlusterCLI(pool: pool)
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
}

extension BlockingPool {
    /// Blocking work of the plugin on the pool, its deadline passing as a `timed-out` plugin error.
    func pluginJob<T: Sendable>(_ what: String, seconds: Double, _ body: @escaping @Sendable () throws -> T)
        async throws -> T
    {
        do {
            return try await run(what, seconds: seconds, body)
        } catch let error as BlockingPool.TimedOut {
            throw PluginError(.timedOut, error.description)
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
