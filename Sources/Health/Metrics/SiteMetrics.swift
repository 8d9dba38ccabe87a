public import Foundation
import Gluster
public import VolumePlugin

/// The exporter's own facts about one scrape.
public struct ScrapeFacts: Hashable, Sendable {
    /// Seconds the scrape took (answering included, gathering only when not cached).
    public var durationSeconds: Double
    /// The gathering failed or ran past its deadline: the gluster families are missing or stale.
    public var error: Bool = false
    /// gluster processes the observation cost.
    public var glusterCalls: Int = 0
    /// When the observation served was gathered.
    public var gatheredAt: Date?
}

/// A site observation as Prometheus metric families (`brickctl_` prefix; `_bytes`, `_seconds`,
/// `_total` suffixes; labels `host`, `volume`, `brick`, `docker_volume`, `stack`, `service`).
///
/// Pure. Families whose source is absent (no plugin on this host, glusterd down) have no samples
/// and are left out of the page, so alerts on them neither fire nor resolve by mistake.
public enum SiteMetrics {
    public static func families(_ site: SiteObservation, health: SiteHealth, scrape: ScrapeFacts) -> [MetricFamily] {
        typealias L = MetricFamily.Label
        typealias S = MetricFamily.Sample
        func b(_ flag: Bool) -> Double { flag ? 1 : 0 }
        var families: [MetricFamily] = []
        func add(_ name: String, _ help: String, _ samples: [S], kind: MetricFamily.Kind = .gauge) {
            families.append(MetricFamily("brickctl_\(name)", kind, help: help, samples: samples))
        }
        let host = L("host", site.host)

        families += scrapeFamilies(scrape)
        add(
            "health", "The site's verdict as this host sees it: 0 healthy, 1 degraded, 2 broken.",
            [S([host], Double(health.verdict.exitCode))])
        var problemCounts: [String: Int] = [:]
        for problem in health.problems {
            problemCounts["\(problem.code.rawValue) \(problem.severity.rawValue)", default: 0] += 1
        }
        add(
            "problems", "Problems found, by code and severity.",
            problemCounts.keys.sorted().map { key in
                let parts = key.split(separator: " ").map(String.init)
                return S([L("code", parts[0]), L("severity", parts[1])], Double(problemCounts[key] ?? 0))
            })

        if let gluster = site.gluster {
            add("glusterd_up", "1 when this host's glusterd answered.", [S([host], b(gluster.glusterdUp))])
            if let tls = gluster.managementTLS {
                add(
                    "management_tls_enabled", "1 when glusterd's management TLS is on (secure-access).",
                    [S([host], b(tls))])
            }
            let peers = (gluster.peers ?? []).filter { !$0.isSelf }
            add(
                "peer_connected", "1 when this glusterd is connected to the peer's.",
                peers.map { S([L("host", $0.hostname), L("uuid", $0.uuid)], b($0.connected)) })
            add(
                "peer_in_cluster", "1 when the peer is a full member (Peer in Cluster).",
                peers.map { S([L("host", $0.hostname), L("uuid", $0.uuid)], b($0.isInCluster)) })

            let volumes = gluster.volumes
            add(
                "volume_info", "A volume's type and state (value 1).",
                volumes.map {
                    S([L("volume", $0.name), L("type", $0.info.type), L("state", $0.info.status.rawValue)], 1)
                })
            add(
                "volume_started", "1 when the volume is started.",
                volumes.map { S([L("volume", $0.name)], b($0.info.status == .started)) })
            add(
                "volume_health", "The volume's verdict: 0 healthy, 1 degraded, 2 broken.",
                health.volumes.map { S([L("volume", $0.name)], Double($0.verdict.exitCode)) })
            add(
                "volume_bricks", "Bricks of the volume.",
                volumes.map { S([L("volume", $0.name)], Double($0.info.brickCount)) })
            add(
                "volume_replicas", "Bricks per replica set (the arbiter included); 1 if not replicated.",
                volumes.map { S([L("volume", $0.name)], Double($0.info.replicaCount)) })
            add(
                "volume_arbiters", "Arbiter bricks per replica set.",
                volumes.map { S([L("volume", $0.name)], Double($0.info.arbiterCount)) })

            var online: [S] = []
            var port: [S] = []
            var pid: [S] = []
            var size: [S] = []
            var free: [S] = []
            var inodes: [S] = []
            var inodesFree: [S] = []
            var pending: [S] = []
            var split: [S] = []
            var shd: [S] = []
            for volume in volumes where volume.info.status == .started {
                for brick in volume.info.bricks {
                    let labels = [
                        L("volume", volume.name), L("brick", brick.address.description), L("host", brick.address.host),
                    ]
                    if let status = volume.status {
                        let reported = status.brick(brick.address)
                        // A brick glusterd could not report is not known to be up: 0.
                        online.append(S(labels, b(reported?.online ?? false)))
                        if let p = reported?.port { port.append(S(labels, Double(p))) }
                        if let p = reported?.pid { pid.append(S(labels, Double(p))) }
                    }
                    if let disk = volume.disk(brick.address) {
                        size.append(S(labels, Double(disk.bytesTotal)))
                        free.append(S(labels, Double(disk.bytesFree)))
                        inodes.append(S(labels, Double(disk.inodesTotal)))
                        inodesFree.append(S(labels, Double(disk.inodesFree)))
                    }
                    if let healed = volume.heal?.bricks.first(where: { $0.address == brick.address }) {
                        if let entries = healed.entries { pending.append(S(labels, Double(entries))) }
                        if let entries = healed.splitBrain { split.append(S(labels, Double(entries))) }
                    }
                }
                if let status = volume.status, volume.info.replicaCount > 1 || volume.info.disperseCount > 0 {
                    var seen: Set<String> = []
                    for brick in volume.info.bricks where seen.insert(brick.hostUUID).inserted {
                        let up = status.selfHealDaemons.contains { $0.hostUUID == brick.hostUUID && $0.online }
                        shd.append(S([L("volume", volume.name), L("host", brick.address.host)], b(up)))
                    }
                }
            }
            var quotaLimit: [S] = []
            var quotaUsed: [S] = []
            for volume in volumes {
                for quota in volume.quotas {
                    let labels = [
                        L("volume", volume.name), L("directory", quota.quota.path),
                        L("docker_volume", quota.dockerVolume ?? ""),
                    ]
                    quotaLimit.append(S(labels, Double(quota.quota.limitBytes)))
                    quotaUsed.append(S(labels, Double(quota.quota.usedBytes)))
                }
            }
            add(
                "quota_limit_bytes",
                "A directory quota's limit (a Docker volume's -o size; docker_volume \"\" if set by hand).",
                quotaLimit)
            add("quota_used_bytes", "Bytes used under a directory with a quota.", quotaUsed)
            add("brick_online", "1 when the brick process (glusterfsd) is online.", online)
            add("brick_port", "The TCP port clients connect to.", port)
            add("brick_pid", "The glusterfsd process id on its host.", pid)
            add("brick_size_bytes", "Size of the filesystem under the brick.", size)
            add("brick_free_bytes", "Free bytes of the filesystem under the brick.", free)
            add("brick_inodes", "Inodes of the filesystem under the brick.", inodes)
            add("brick_inodes_free", "Free inodes of the filesystem under the brick.", inodesFree)
            add("brick_heal_pending_entries", "Entries pending heal on the brick.", pending)
            add("brick_split_brain_entries", "Entries in split-brain on the brick.", split)
            add(
                "self_heal_daemon_online",
                "1 when the self-heal daemon runs on a host that holds a brick of the volume.", shd)
        }

        if let plugin = site.plugin {
            add("plugin_up", "1 when the volume plugin listens on its socket.", [S([host], b(plugin.listening))])
            let mounted = plugin.mounts.filter { $0.state != .notMounted }
            add(
                "plugin_mount_stale", "1 when the plugin's FUSE mount of the Gluster volume answers errors.",
                mounted.map { mount in
                    if case .stale = mount.state { return S([host, L("volume", mount.glusterVolume)], 1) }
                    return S([host, L("volume", mount.glusterVolume)], 0)
                })
            add(
                "plugin_mounted", "1 when the plugin's FUSE mount of the Gluster volume is in place.",
                plugin.mounts.map { mount in
                    S([host, L("volume", mount.glusterVolume)], b(mount.state == .mounted))
                })
            add(
                "plugin_volume_holders", "Mounts (containers) holding the Docker volume on this host.",
                plugin.volumes.map {
                    S([host, L("docker_volume", $0.name), L("volume", $0.glusterVolume ?? "")], Double($0.holders))
                })
            if let activity = plugin.activity { families += activityFamilies(activity, host: host) }
        }

        if let swarm = site.swarm {
            add(
                "swarm_node_ready", "1 when the Swarm node is ready.",
                swarm.nodes.sorted { $0.hostname < $1.hostname }.map {
                    S([L("host", $0.hostname), L("role", $0.role)], b($0.isReady))
                })
            var wanted: [S] = []
            var running: [S] = []
            for stack in swarm.stacks.keys.sorted() {
                for service in StackServiceTasks.services(stack: stack, tasks: swarm.stacks[stack] ?? []) {
                    let labels = [L("stack", stack), L("service", service.name)]
                    wanted.append(S(labels, Double(service.wanted)))
                    running.append(S(labels, Double(service.running)))
                }
            }
            add("stack_service_tasks_wanted", "Tasks the stack's service should run.", wanted)
            add("stack_service_tasks_running", "Tasks of the stack's service that run.", running)
        }

        add(
            "certificate_expiry_timestamp_seconds", "When the certificate expires (Unix time).",
            site.certificates.map {
                S([host, L("file", $0.file), L("subject", $0.subject)], $0.notAfter.timeIntervalSince1970)
            })
        add(
            "backup_last_success_timestamp_seconds", "When the stack's newest good dump was made (Unix time).",
            site.backups.compactMap { backup in
                backup.newestGoodDump.map { S([L("stack", backup.stack)], $0.timeIntervalSince1970) }
            })
        add(
            "backup_last_attempt_ok", "1 when the stack's backup service's last dump attempt succeeded.",
            site.backups.compactMap { backup in backup.lastAttemptOk.map { S([L("stack", backup.stack)], b($0)) } })
        return families
    }

    /// The running plugin's own figures (`GET /Brickctl.Metrics` on its socket): `brickctl_plugin_*`.
    public static func activityFamilies(_ activity: PluginActivity, host: MetricFamily.Label) -> [MetricFamily] {
        typealias L = MetricFamily.Label
        typealias S = MetricFamily.Sample
        let endpoints = activity.endpoints.keys.sorted()
        var requests: [S] = []
        var errors: [S] = []
        var latency: [S] = []
        for path in endpoints {
            guard let endpoint = activity.endpoints[path] else { continue }
            let labels = [host, L("endpoint", path)]
            requests.append(S(labels, Double(endpoint.requests)))
            for code in endpoint.errors.keys.sorted() {
                errors.append(S(labels + [L("code", code)], Double(endpoint.errors[code] ?? 0)))
            }
            let cumulative = endpoint.cumulativeBuckets
            for (index, bound) in PluginActivity.bucketBounds.enumerated() {
                latency.append(
                    S(labels + [L("le", MetricFamily.format(bound))], Double(cumulative[index]), suffix: "_bucket"))
            }
            latency.append(S(labels + [L("le", "+Inf")], Double(cumulative.last ?? 0), suffix: "_bucket"))
            latency.append(S(labels, endpoint.seconds, suffix: "_sum"))
            latency.append(S(labels, Double(endpoint.requests), suffix: "_count"))
        }
        let volumes = Set(activity.mounts.keys).union(activity.remounts.keys).sorted()
        return [
            MetricFamily(
                "brickctl_plugin_requests_total", .counter,
                help: "Requests the volume plugin answered since it started, by endpoint (errors included).",
                samples: requests),
            MetricFamily(
                "brickctl_plugin_request_errors_total", .counter,
                help: "Requests the volume plugin answered with an error, by endpoint and error code.",
                samples: errors),
            MetricFamily(
                "brickctl_plugin_request_duration_seconds", .histogram,
                help: "How long the volume plugin took to answer, by endpoint.", samples: latency),
            MetricFamily(
                "brickctl_plugin_fuse_mounts_total", .counter,
                help: "FUSE mounts of a Gluster volume the plugin made (remounts included).",
                samples: volumes.map { S([host, L("volume", $0)], Double(activity.mounts[$0] ?? 0)) }),
            MetricFamily(
                "brickctl_plugin_remounts_total", .counter,
                help: "Stale FUSE mounts (ENOTCONN: the glusterfs client died) the plugin mounted again.",
                samples: volumes.map { S([host, L("volume", $0)], Double(activity.remounts[$0] ?? 0)) }),
            MetricFamily(
                "brickctl_plugin_resident_memory_bytes", .gauge, help: "The volume plugin process's resident memory.",
                samples: activity.residentBytes > 0 ? [S([host], Double(activity.residentBytes))] : []),
            MetricFamily(
                "brickctl_plugin_start_time_seconds", .gauge,
                help: "When the volume plugin process started (Unix time).",
                samples: [S([host], activity.startedAt)]),
        ]
    }

    /// The exporter's own families: `brickctl_scrape_*`.
    public static func scrapeFamilies(_ scrape: ScrapeFacts) -> [MetricFamily] {
        typealias S = MetricFamily.Sample
        var families = [
            MetricFamily(
                "brickctl_scrape_error", .gauge,
                help: "1 when the last gathering failed or ran past its deadline (gluster families stale or missing).",
                samples: [S([], scrape.error ? 1 : 0)]),
            MetricFamily(
                "brickctl_scrape_duration_seconds", .gauge, help: "Seconds the exporter took to answer this scrape.",
                samples: [S([], scrape.durationSeconds)]),
            MetricFamily(
                "brickctl_scrape_gluster_calls", .gauge, help: "gluster CLI processes the served observation cost.",
                samples: [S([], Double(scrape.glusterCalls))]),
        ]
        if let at = scrape.gatheredAt {
            families.append(
                MetricFamily(
                    "brickctl_scrape_gathered_timestamp_seconds", .gauge,
                    help: "When the served observation was gathered (Unix time).",
                    samples: [S([], at.timeIntervalSince1970)]))
        }
        return families
    }

    /// Whether a family is one of `scrapeFamilies` (they change with every scrape).
    public static func isScrapeFamily(_ name: String) -> Bool { name.hasPrefix("brickctl_scrape_") }

    /// The whole page.
    public static func render(_ site: SiteObservation, health: SiteHealth, scrape: ScrapeFacts) -> String {
        MetricFamily.render(families(site, health: health, scrape: scrape))
    }

    /// The page when nothing could be gathered yet: the exporter's own families only.
    public static func renderWithoutObservation(host: String, scrape: ScrapeFacts) -> String {
        MetricFamily.render(scrapeFamilies(scrape))
    }
}
