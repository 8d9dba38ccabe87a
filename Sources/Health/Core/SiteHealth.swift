public import Foundation
public import Gluster
public import HostIO

/// The verdict on the whole site as one host sees it: per volume and brick, and every problem.
///
/// Pure: `assess` turns a `SiteObservation` into verdicts and typed problems, worst first.
public struct SiteHealth: Sendable, Codable {
    public struct Brick: Sendable, Codable {
        public var address: BrickAddress
        public var isArbiter: Bool
        /// nil: not reported (its glusterd is unreachable) or the volume is not started.
        @NullWhenAbsent public var online: Bool?
        @NullWhenAbsent public var port: Int?
        @NullWhenAbsent public var pid: Int?
        /// Entries pending heal on this brick; nil when unknown.
        @NullWhenAbsent public var healPending: Int?
        @NullWhenAbsent public var splitBrain: Int?
        @NullWhenAbsent public var bytesTotal: UInt64?
        @NullWhenAbsent public var bytesFree: UInt64?
        @NullWhenAbsent public var inodesTotal: UInt64?
        @NullWhenAbsent public var inodesFree: UInt64?
        public var verdict: Verdict
    }

    public struct Volume: Sendable, Codable {
        public var name: String
        public var type: String
        public var state: VolumeInfo.Status
        public var replicaCount: Int
        public var arbiterCount: Int
        public var bricks: [Brick]
        /// Entries pending heal over all bricks (nil: not counted).
        @NullWhenAbsent public var healPending: Int?
        public var splitBrain: Int
        public var verdict: Verdict
    }

    public var verdict: Verdict
    public var volumes: [Volume]
    /// Every problem, worst first (broken before degraded, in the order found).
    public var problems: [HealthProblem]

    /// Judges what a host saw.
    ///
    /// Volumes follow `VolumeHealth`'s rules (a set without a data brick online → broken; a brick
    /// offline or unreported, quorum lost, a self-heal daemon missing, heals pending → degraded;
    /// not started → broken), typed. Added here: peers, brick space and inodes, split-brain,
    /// plugin mounts, Swarm nodes and stack services, certificates, backups.
    public static func assess(_ site: SiteObservation, thresholds: HealthThresholds = HealthThresholds()) -> SiteHealth
    {
        var problems: [HealthProblem] = []
        var volumes: [Volume] = []
        if let gluster = site.gluster {
            problems += peerProblems(gluster)
            for observed in gluster.volumes {
                let (volume, found) = assess(observed, thresholds: thresholds)
                volumes.append(volume)
                problems += found
            }
        }
        if let plugin = site.plugin { problems += pluginProblems(plugin, thresholds: thresholds) }
        if let swarm = site.swarm { problems += swarmProblems(swarm) }
        for certificate in site.certificates {
            let left = certificate.notAfter.timeIntervalSince(site.now)
            let days = Int((left / 86_400).rounded(.down))
            let facts = HealthProblem.Facts(file: certificate.file, days: days, detail: certificate.subject)
            if left <= 0 {
                problems.append(.init(.certificateExpired, .broken, facts))
            } else if days < thresholds.certificateDays {
                problems.append(.init(.certificateExpiring, .degraded, facts))
            }
        }
        for backup in site.backups {
            guard let newest = backup.newestGoodDump else {
                problems.append(.init(.backupMissing, .degraded, .init(stack: backup.stack)))
                continue
            }
            let age = site.now.timeIntervalSince(newest)
            if age > thresholds.backupMaxAge {
                problems.append(.init(.backupTooOld, .degraded, .init(stack: backup.stack, ageSeconds: Int(age))))
            }
        }
        let ordered = problems.filter { $0.severity == .broken } + problems.filter { $0.severity != .broken }
        let verdict = ordered.map(\.severity).max() ?? .healthy
        return SiteHealth(verdict: verdict, volumes: volumes, problems: ordered)
    }

    static func peerProblems(_ gluster: GlusterObservation) -> [HealthProblem] {
        guard let peers = gluster.peers else {
            return [.init(.glusterdUnreachable, .broken, .init(detail: gluster.error))]
        }
        var problems: [HealthProblem] = []
        for peer in peers where !peer.isSelf {
            if !peer.connected {
                problems.append(.init(.peerDisconnected, .degraded, .init(host: peer.hostname, detail: peer.state)))
            } else if !peer.isInCluster {
                problems.append(.init(.peerNotInCluster, .degraded, .init(host: peer.hostname, detail: peer.state)))
            }
        }
        return problems
    }

    /// One volume's verdict, its bricks' verdicts and its problems.
    static func assess(_ observed: VolumeObservation, thresholds: HealthThresholds) -> (Volume, [HealthProblem]) {
        let info = observed.info
        let name = info.name
        var problems: [HealthProblem] = []
        var brickVerdicts: [BrickAddress: Verdict] = [:]
        func worsen(_ brick: BrickAddress, _ verdict: Verdict) {
            brickVerdicts[brick] = max(brickVerdicts[brick] ?? .healthy, verdict)
        }
        let status = info.status == .started ? observed.status : nil
        if info.status != .started {
            problems.append(.init(.volumeNotStarted, .broken, .init(volume: name, detail: info.status.rawValue)))
        } else if status == nil {
            problems.append(.init(.volumeNotReported, .broken, .init(volume: name)))
        }

        if let status {
            let replicated = info.disperseCount == 0 && info.replicaCount > 1
            let dispersed = info.disperseCount > 0
            func online(_ brick: VolumeInfo.Brick) -> Bool { status.brick(brick.address)?.online ?? false }
            for (index, set) in info.sets.enumerated() {
                let up = set.filter(online)
                let facts = HealthProblem.Facts(volume: name, set: index + 1, online: up.count, total: set.count)
                if dispersed {
                    if up.count < info.disperseCount - info.redundancyCount {
                        problems.append(.init(.setUnavailable, .broken, facts))
                    }
                } else if replicated {
                    if !up.contains(where: { !$0.isArbiter }) {
                        problems.append(.init(.setUnavailable, .broken, facts))
                    } else if !VolumeHealth.hasQuorum(set: set, online: online, volume: info) {
                        problems.append(.init(.quorumLost, .degraded, facts))
                    }
                } else if let brick = set.first, !online(brick) {
                    problems.append(.init(.setUnavailable, .broken, facts))
                }
            }
            for brick in info.bricks {
                guard let reported = status.brick(brick.address) else {
                    problems.append(
                        .init(
                            .brickNotReported, .degraded,
                            .init(volume: name, brick: brick.address, host: brick.address.host)))
                    worsen(brick.address, .broken)
                    continue
                }
                if !reported.online {
                    problems.append(
                        .init(
                            .brickOffline, .degraded,
                            .init(volume: name, brick: brick.address, host: brick.address.host)))
                    worsen(brick.address, .broken)
                }
            }
            if replicated || dispersed {
                var hosts: [(uuid: String, name: String)] = []
                for brick in info.bricks where !hosts.contains(where: { $0.uuid == brick.hostUUID }) {
                    hosts.append((brick.hostUUID, brick.address.host))
                }
                for host in hosts
                where !status.selfHealDaemons.contains(where: { $0.hostUUID == host.uuid && $0.online }) {
                    problems.append(.init(.selfHealDaemonDown, .degraded, .init(volume: name, host: host.name)))
                }
            }
        }

        if let heal = observed.heal {
            if heal.splitBrain > 0 {
                problems.append(.init(.splitBrain, .degraded, .init(volume: name, count: heal.splitBrain)))
                for brick in heal.bricks where (brick.splitBrain ?? 0) > 0 { worsen(brick.address, .degraded) }
            }
            if heal.total > 0 {
                problems.append(.init(.healsPending, .degraded, .init(volume: name, count: heal.total)))
                for brick in heal.bricks where (brick.entries ?? 0) > 0 { worsen(brick.address, .degraded) }
            }
        }

        for quota in observed.quotas where quota.quota.limitBytes > 0 {
            let fraction = Double(quota.quota.usedBytes) / Double(quota.quota.limitBytes)
            if fraction > thresholds.quotaFull {
                problems.append(
                    .init(
                        .quotaNearlyFull, .degraded,
                        .init(volume: name, fraction: fraction, file: quota.quota.path, detail: quota.dockerVolume)))
            }
        }

        for brick in info.bricks {
            guard let disk = observed.disk(brick.address) else { continue }
            let checks: [(HealthProblem.Code, UInt64, UInt64)] = [
                (.brickSpaceLow, disk.bytesFree, disk.bytesTotal), (.brickInodesLow, disk.inodesFree, disk.inodesTotal),
            ]
            for (code, free, total) in checks where total > 0 {
                let fraction = Double(free) / Double(total)
                guard fraction < thresholds.lowFree else { continue }
                let severity: Verdict = fraction < thresholds.criticalFree ? .broken : .degraded
                problems.append(
                    .init(
                        code, severity,
                        .init(volume: name, brick: brick.address, host: brick.address.host, fraction: fraction)))
                worsen(brick.address, severity)
            }
        }

        let bricks = info.bricks.map { brick -> Brick in
            let reported = status?.brick(brick.address)
            let healed = observed.heal?.bricks.first { $0.address == brick.address }
            let disk = observed.disk(brick.address)
            return Brick(
                address: brick.address, isArbiter: brick.isArbiter, online: reported?.online, port: reported?.port,
                pid: reported?.pid, healPending: healed?.entries, splitBrain: healed?.splitBrain,
                bytesTotal: disk?.bytesTotal, bytesFree: disk?.bytesFree, inodesTotal: disk?.inodesTotal,
                inodesFree: disk?.inodesFree,
                verdict: info.status == .started ? brickVerdicts[brick.address] ?? .healthy : .broken)
        }
        let verdict = problems.map(\.severity).max() ?? .healthy
        let volume = Volume(
            name: name, type: info.type, state: info.status, replicaCount: info.replicaCount,
            arbiterCount: info.arbiterCount, bricks: bricks, healPending: observed.heal?.total,
            splitBrain: observed.heal?.splitBrain ?? 0, verdict: verdict)
        return (volume, problems)
    }

    static func pluginProblems(_ plugin: PluginObservation, thresholds: HealthThresholds) -> [HealthProblem] {
        var problems: [HealthProblem] = []
        if !plugin.listening {
            problems.append(.init(.pluginNotListening, .degraded, .init(file: plugin.socket)))
        }
        for mount in plugin.mounts {
            switch mount.state {
            case .stale(let error):
                problems.append(
                    .init(
                        .pluginMountStale, .degraded,
                        .init(volume: mount.glusterVolume, file: mount.mountPoint, detail: error)))
            case .foreign(let type):
                problems.append(
                    .init(
                        .pluginMountForeign, .degraded,
                        .init(volume: mount.glusterVolume, file: mount.mountPoint, detail: type)))
            case .mounted, .notMounted:
                break
            }
        }
        return problems
    }

    static func swarmProblems(_ swarm: SwarmObservation) -> [HealthProblem] {
        var problems: [HealthProblem] = []
        for node in swarm.nodes.sorted(by: { $0.hostname < $1.hostname }) where !node.isReady {
            problems.append(.init(.swarmNodeNotReady, .degraded, .init(host: node.hostname, detail: node.state)))
        }
        for stack in swarm.stacks.keys.sorted() {
            for service in StackServiceTasks.services(stack: stack, tasks: swarm.stacks[stack] ?? []) {
                let facts = HealthProblem.Facts(
                    online: service.running, total: service.wanted, stack: stack, service: service.name,
                    detail: service.lastError)
                if service.running == 0 && service.wanted > 0 {
                    problems.append(.init(.serviceDown, .broken, facts))
                } else if service.running < service.wanted {
                    problems.append(.init(.serviceDegraded, .degraded, facts))
                }
            }
        }
        return problems
    }
}
