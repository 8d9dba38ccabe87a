import Foundation
import Gluster
import GlusterTLS
import Health
import HostIO
import Stack
import VolumePlugin

/// Reads what this host sees of the site into a `SiteObservation`: the edge of `brickctl status`
/// and `brickctl exporter` (blocking: the gluster CLI, the plugin's state and mountinfo, docker,
/// certificate files). Each source that is absent or fails is left out (or recorded as the
/// problem it is), never the whole read.
struct SiteReader: Sendable {
    var cli = GlusterCLI(timeout: 20, busyRetry: 5)
    var pluginConfigPath: String? = nil
    var sslDirectory = "/etc/ssl"
    var caDirectory = TLSCommand.defaultDirectory
    /// Ask the Swarm (docker) too.
    var swarm = true
    /// Seconds each docker call may take.
    var dockerTimeout: Double = 15
    /// gfapi connections for reading the backup services' status files on a Gluster server
    /// (kept open by the exporter; a `status` run exits without glfs_fini).
    var gfapi: GlusterVolumes = .shared

    /// What one read cost.
    struct Cost: Sendable {
        /// gluster CLI processes run (glfsheal runs counted as one more each).
        var glusterCalls = 0
    }

    /// Reads the site: the gluster CLI (async, on `pool`), then the other blocking sources as one
    /// job on `pool` (bounded by `seconds`), then the backup status files gfapi reaches. nil when
    /// the blocking job did not finish in time.
    func read(now: Date = Date(), on pool: BlockingPool, seconds: Double = 600) async -> (SiteObservation, Cost)? {
        var reader = self
        reader.cli.pool = pool
        var cost = Cost()
        let gluster = await reader.readGluster(&cost)
        let blocking = reader
        guard
            let site = try? await pool.run(
                "reading the site", seconds: seconds, { blocking.readBlocking(now: now, gluster: gluster) })
        else { return nil }
        var observed = site
        let found = await readBackupsThroughGfapi(
            gluster: site.gluster, skipping: Set(site.backups.map(\.stack)), covered: Self.mountedVolumes(site.plugin),
            on: pool)
        // A backups volume outlives its stack (`docker stack rm` keeps volumes): where the Swarm
        // is known, only the stacks it runs count.
        observed.backups = (site.backups + found).filter { site.swarm == nil || site.swarm?.stacks[$0.stack] != nil }
            .sorted { $0.stack < $1.stack }
        return (observed, cost)
    }

    /// Everything but the gluster CLI and gfapi: the plugin's state and mountinfo, docker,
    /// certificate files, and the backup status files on the plugin's FUSE mounts (blocking).
    func readBlocking(now: Date, gluster: GlusterObservation?) -> SiteObservation {
        let plugin = readPlugin()
        let swarm = self.swarm ? readSwarm() : nil
        return SiteObservation(
            host: LocalGlusterd.hostname, now: now, gluster: gluster, plugin: plugin, swarm: swarm,
            certificates: readCertificates(), backups: readBackupsOnMounts(plugin: plugin))
    }

    /// nil when this host is no Gluster server (no glusterd.info and no glusterd socket).
    func readGluster(_ cost: inout Cost) async -> GlusterObservation? {
        let isServer = LocalGlusterd.uuid != nil || LocalGlusterd.isRunning
        guard isServer else { return nil }
        let managementTLS = FileManager.default.fileExists(atPath: "/var/lib/glusterd/secure-access")
        guard LocalGlusterd.isRunning else {
            return GlusterObservation(
                peers: nil, error: "glusterd is not running (no /run/glusterd.socket)", managementTLS: managementTLS)
        }
        // One gluster process for the pool, every volume's definition, status and disks.
        let commands = [
            ["pool", "list"], ["volume", "info"], ["volume", "status", "all"], ["volume", "status", "all", "detail"],
        ]
        cost.glusterCalls += 1
        let answers: [Result<CLIEnvelope, GlusterCLIError>]
        do {
            answers = try await cli.batch(commands).answers
        } catch {
            return GlusterObservation(peers: nil, error: error.description, managementTLS: managementTLS)
        }
        func decoded<T>(_ index: Int, _ decode: (CLIEnvelope) throws(GlusterXMLError) -> T) -> T? {
            guard case .success(let envelope) = answers[index] else { return nil }
            return try? decode(envelope)
        }
        guard let peers = decoded(0, Peer.pool), let volumes = decoded(1, VolumeInfo.list) else {
            let why: String
            if case .failure(let error) = answers[0] { why = error.description } else { why = "no readable answer" }
            return GlusterObservation(peers: nil, error: why, managementTLS: managementTLS)
        }
        let statuses = decoded(2, VolumeStatus.list) ?? []
        let details = decoded(3, VolumeStatus.list) ?? []
        var observed: [VolumeObservation] = []
        for info in volumes {
            var volume = VolumeObservation(
                info: info, status: statuses.first { $0.name == info.name },
                detail: details.first { $0.name == info.name })
            let replicated = info.replicaCount > 1 || info.disperseCount > 0
            if info.status == .started, replicated {
                // The self-heal daemons' count (one process); glfsheal only when it is not clean.
                cost.glusterCalls += 1
                if let report = try? await cli.report(volume: info.name, heal: true) {
                    volume.status = report.status ?? volume.status
                    volume.heal = report.heal
                    if let heal = report.heal, heal.total > 0 || !heal.unknown.isEmpty { cost.glusterCalls += 1 }
                }
            }
            observed.append(volume)
        }
        // Directory quotas (the plugin's -o size=) of every started volume that has quota on: one process.
        let quotaVolumes = observed.indices.filter {
            observed[$0].info.status == .started && observed[$0].info.option("features.quota") == "on"
        }
        if !quotaVolumes.isEmpty {
            cost.glusterCalls += 1
            let lists = quotaVolumes.map { ["volume", "quota", observed[$0].name, "list"] }
            if let quotaAnswers = try? await cli.batch(lists).answers {
                for (index, answer) in zip(quotaVolumes, quotaAnswers) {
                    guard case .success(let envelope) = answer, let quotas = try? DirectoryQuota.list(from: envelope)
                    else { continue }
                    observed[index].quotas = quotas.map {
                        QuotaObservation(quota: $0, dockerVolume: Self.dockerVolume($0.path))
                    }
                }
            }
        }
        return GlusterObservation(peers: peers, volumes: observed, managementTLS: managementTLS)
    }

    /// The plugin's Docker volume whose directory `path` is (`/brickctl/volumes/NAME`), if it is one.
    static func dockerVolume(_ path: String) -> String? {
        let prefix = PluginVolume.glusterDataRoot + "/"
        guard path.hasPrefix(prefix) else { return nil }
        let name = path.dropFirst(prefix.count)
        return name.isEmpty || name.contains("/") ? nil : String(name)
    }

    /// nil when the plugin has no state on this host.
    func readPlugin() -> PluginObservation? {
        guard let configuration = try? PluginConfiguration.load(path: pluginConfigPath),
            FileManager.default.fileExists(atPath: configuration.stateFile),
            let status = try? PluginStatus.read(configuration)
        else { return nil }
        let mounts = status.mounts.map { mount -> PluginObservation.Mount in
            let state: PluginObservation.Mount.State =
                switch mount.state {
                case .mounted: .mounted
                case .stale(let number): .stale(error: String(cString: strerror(number)))
                case .foreign(let type): .foreign(type: type)
                case .absent: .notMounted
                }
            return PluginObservation.Mount(
                glusterVolume: mount.glusterVolume, mountPoint: mount.mountPoint, state: state)
        }
        let volumes = status.volumes.map {
            PluginObservation.Volume(
                name: $0.name, glusterVolume: $0.glusterVolume, holders: $0.holders.values.reduce(0, +))
        }
        return PluginObservation(
            socket: status.socket, listening: status.socketListening, mounts: mounts, volumes: volumes,
            activity: status.socketListening ? PluginActivity.fetch(socket: status.socket, timeout: 5) : nil)
    }

    /// nil when no Swarm manager answers here (no docker, no daemon, not a manager).
    func readSwarm() -> SwarmObservation? {
        let docker = DockerCLI()
        guard let info = try? docker.run(["info", "--format", "{{.Swarm.ControlAvailable}}"], timeout: dockerTimeout),
            info.succeeded, info.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "true",
            let nodesJSON = try? docker.run(["node", "ls", "-q"], timeout: dockerTimeout), nodesJSON.succeeded
        else { return nil }
        let ids = nodesJSON.stdout.split(separator: "\n").map(String.init)
        var nodes: [SwarmNode] = []
        if !ids.isEmpty, let inspected = try? docker.run(["node", "inspect"] + ids, timeout: dockerTimeout),
            inspected.succeeded
        {
            nodes = (try? SwarmNode.parse(inspectJSON: Data(inspected.stdout.utf8))) ?? []
        }
        var stacks: [String: [StackTask]] = [:]
        if let list = try? docker.run(["stack", "ls", "--format", "{{.Name}}"], timeout: dockerTimeout), list.succeeded
        {
            for name in list.stdout.split(separator: "\n").map(String.init) where !name.isEmpty {
                guard
                    let ps = try? docker.run(
                        ["stack", "ps", name, "--no-trunc", "--format", "{{json .}}"], timeout: dockerTimeout),
                    ps.succeeded
                else { continue }
                stacks[name] = StackTask.parse(jsonLines: ps.stdout)
            }
        }
        return SwarmObservation(nodes: nodes, stacks: stacks)
    }

    /// This host's Gluster certificates and the pool CA's, with their expiry (to the day).
    func readCertificates() -> [CertificateObservation] {
        var rows = (try? GlusterSSLFiles(directory: sslDirectory).status()) ?? []
        let ca = "\(caDirectory)/ca.pem"
        if let text = try? String(contentsOfFile: ca, encoding: .utf8) {
            rows += (try? TLSStatusRow.rows(file: ca, pem: text)) ?? []
        }
        let formatter = DateFormatter.utc("yyyy-MM-dd")
        return rows.compactMap { row in
            formatter.date(from: row.expires).map {
                CertificateObservation(file: row.file, subject: row.subject, notAfter: $0)
            }
        }
    }

    /// The backup services' status files (`NAME_backups/status.json`, written by the `backup`
    /// service of each stack) found on the Gluster volumes this host can read cheaply:
    /// - through the plugin's FUSE mount of a Gluster volume, where it is mounted here (a Docker
    ///   host with a container on that volume: a plain file read, no new connection);
    /// - through gfapi from this host's glusterd (`localhost`) for every other started volume,
    ///   on a Gluster server (one connection per volume, kept open by the exporter).
    /// A Docker host that is no Gluster server and has no FUSE mount of the volume sees no backups.
    /// Each stack is reported once (the first source that has it).
    func readBackupsOnMounts(plugin: PluginObservation?) -> [BackupObservation] {
        var found: [String: BackupObservation] = [:]
        for mount in plugin?.mounts ?? [] where mount.state == .mounted {
            for backup in BackupStatusFiles.read(mountPoint: mount.mountPoint) where found[backup.stack] == nil {
                found[backup.stack] = backup
            }
        }
        return found.keys.sorted().compactMap { found[$0] }
    }

    /// The Gluster volumes the plugin has mounted here (their status files were read there).
    static func mountedVolumes(_ plugin: PluginObservation?) -> Set<String> {
        Set((plugin?.mounts ?? []).filter { $0.state == .mounted }.map(\.glusterVolume))
    }

    /// The status files of the other started volumes, through gfapi from this host's glusterd.
    func readBackupsThroughGfapi(
        gluster: GlusterObservation?, skipping known: Set<String>, covered: Set<String>, on pool: BlockingPool
    ) async -> [BackupObservation] {
        var found: [String: BackupObservation] = [:]
        for volume in gluster?.volumes ?? [] where volume.info.status == .started && !covered.contains(volume.name) {
            guard
                let handle = try? await gfapi.handle(
                    volume: volume.name, servers: ["localhost"], timeout: .seconds(10)),
                let read = try? await pool.run(
                    "reading the backup status files of \(volume.name)", seconds: 30,
                    {
                        BackupStatusFiles.read(handle: handle)
                    })
            else { continue }
            for backup in read where found[backup.stack] == nil && !known.contains(backup.stack) {
                found[backup.stack] = backup
            }
        }
        return found.keys.sorted().compactMap { found[$0] }
    }
}
