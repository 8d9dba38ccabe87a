import BrickctlTestSupport
import Foundation
import Gluster
import Testing

@testable import Health
@testable import Stack

@Suite(.offCooperativePool) struct SiteHealthTests {
    let root = Recorded.root

    func site(_ gluster: GlusterObservation?) -> SiteObservation {
        SiteObservation(host: "n1", now: Recorded.now, gluster: gluster)
    }

    func codes(_ health: SiteHealth) -> [HealthProblem.Code] { health.problems.map(\.code) }

    @Test func allOnlineNothingToHealIsHealthy() throws {
        let health = SiteHealth.assess(site(try Recorded.healthyPool()))
        #expect(health.verdict == .healthy)
        #expect(health.problems.isEmpty)
        let volume = try #require(health.volumes.first)
        #expect(volume.name == "gv0" && volume.verdict == .healthy && volume.healPending == 0)
        #expect(volume.bricks.count == 3 && volume.bricks.allSatisfy { $0.verdict == .healthy && $0.online == true })
        #expect(volume.bricks[0].bytesTotal == 1_004_535_808 && volume.bricks[0].inodesFree == 522_984)
        #expect(Verdict.healthy.exitCode == 0 && Verdict.degraded.exitCode == 1 && Verdict.broken.exitCode == 2)
    }

    @Test func aBrickDownWithPendingHealsIsDegradedAndTheBrickBroken() throws {
        var pool = try Recorded.healthyPool()
        pool.volumes[0].status = try Recorded.status("volume-status-brick-offline")
        pool.volumes[0].heal = try Recorded.heal("heal-info-summary-brick-offline")
        let health = SiteHealth.assess(site(pool))
        #expect(health.verdict == .degraded)
        #expect(codes(health) == [.brickOffline, .healsPending])
        let offline = health.problems[0]
        #expect(offline.severity == .degraded)
        #expect(offline.facts.volume == "gv0" && offline.facts.brick?.description == "n3:\(root)/gv0")
        #expect(offline.facts.host == "n3")
        #expect(health.problems[1].facts.count == 18)
        let bricks = try #require(health.volumes.first?.bricks)
        #expect(bricks.map(\.verdict) == [.degraded, .degraded, .broken])
        #expect(bricks[2].online == false && bricks[2].pid == nil && bricks[2].healPending == nil)
        #expect(bricks[0].healPending == 9 && bricks[0].splitBrain == 0)
    }

    @Test func aReplicaSetWithoutBricksIsBroken() throws {
        let pool = GlusterObservation(
            peers: try Recorded.peers("pool-list"),
            volumes: [
                VolumeObservation(
                    info: try Recorded.volume("volume-info-distributed-replicate", "gvd"),
                    status: try Recorded.status("volume-status-replica-set-down"))
            ])
        let health = SiteHealth.assess(site(pool))
        #expect(health.verdict == .broken)
        let unavailable = try #require(health.problems.first)
        #expect(unavailable.code == .setUnavailable && unavailable.severity == .broken)
        #expect(unavailable.facts.set == 1 && unavailable.facts.online == 0 && unavailable.facts.total == 3)
        #expect(codes(health).filter { $0 == .brickOffline }.count == 3)
        #expect(health.volumes[0].verdict == .broken)
    }

    @Test func onlyTheArbiterOnlineIsBrokenAndItsSelfHealDaemonMissing() throws {
        let pool = GlusterObservation(
            peers: try Recorded.peers("pool-list"),
            volumes: [
                VolumeObservation(
                    info: try Recorded.volume("volume-info-all", "gva"),
                    status: try Recorded.status("volume-status-arbiter-only"))
            ])
        let health = SiteHealth.assess(site(pool))
        #expect(health.verdict == .broken)
        #expect(codes(health).first == .setUnavailable)
        let shd = health.problems.filter { $0.code == .selfHealDaemonDown }
        #expect(shd.map(\.facts.host) == ["n3"])
    }

    @Test func aSelfHealDaemonDownIsDegraded() throws {
        var pool = try Recorded.healthyPool()
        pool.volumes[0].status = try Recorded.status("volume-status-shd-offline")
        let health = SiteHealth.assess(site(pool))
        #expect(health.verdict == .degraded)
        #expect(codes(health) == [.selfHealDaemonDown])
        #expect(health.problems[0].facts.host == "n3" && health.problems[0].facts.volume == "gv0")
    }

    @Test func aStoppedVolumeIsBroken() throws {
        let pool = GlusterObservation(
            peers: try Recorded.peers("pool-list"),
            volumes: [VolumeObservation(info: try Recorded.volume("volume-info-stopped", "gv0"))])
        let health = SiteHealth.assess(site(pool))
        #expect(health.verdict == .broken)
        #expect(codes(health) == [.volumeNotStarted])
        #expect(health.problems[0].facts.detail == "stopped")
        #expect(health.volumes[0].bricks.allSatisfy { $0.verdict == .broken && $0.online == nil })
    }

    @Test func aStartedVolumeWithoutStatusIsBroken() throws {
        let pool = GlusterObservation(
            peers: try Recorded.peers("pool-list"),
            volumes: [VolumeObservation(info: try Recorded.volume("volume-info-started", "gv0"))])
        #expect(codes(SiteHealth.assess(site(pool))) == [.volumeNotReported])
    }

    @Test func aDisconnectedPeerAndItsUnreportedBrick() throws {
        var pool = try Recorded.healthyPool()
        pool.peers = try Recorded.peers("pool-list-peer-disconnected")
        pool.volumes[0].status = try Recorded.status("volume-status-peer-down")
        pool.volumes[0].heal = nil
        let health = SiteHealth.assess(site(pool))
        #expect(health.verdict == .degraded)
        let peer = try #require(health.problems.first { $0.code == .peerDisconnected })
        #expect(peer.facts.host == "n2")
        let unreported = try #require(health.problems.first { $0.code == .brickNotReported })
        #expect(unreported.facts.brick?.host == "n2")
        #expect(health.problems.contains { $0.code == .brickOffline && $0.facts.host == "n3" })
        #expect(health.problems.contains { $0.code == .selfHealDaemonDown && $0.facts.host == "n2" })
    }

    @Test func glusterdThatDoesNotAnswerIsBroken() {
        let health = SiteHealth.assess(site(GlusterObservation(peers: nil, error: "glusterd is not running")))
        #expect(health.verdict == .broken)
        #expect(codes(health) == [.glusterdUnreachable])
        #expect(health.problems[0].facts.detail == "glusterd is not running")
    }

    @Test func splitBrainIsNamedFirstAmongHealProblems() throws {
        var pool = try Recorded.healthyPool()
        var heal = try Recorded.heal("heal-info-summary-brick-offline")
        heal.bricks[0].splitBrain = 2
        pool.volumes[0].heal = heal
        let health = SiteHealth.assess(site(pool))
        #expect(codes(health) == [.splitBrain, .healsPending])
        #expect(health.problems[0].facts.count == 2)
    }

    @Test func brickSpaceAndInodesRunningOut() throws {
        var pool = try Recorded.healthyPool()
        var detail = try #require(pool.volumes[0].detail)
        // n1: 5 % free space (degraded); n2: 1 % free inodes (broken).
        let bytesTotal = try #require(detail.bricks[0].disk?.bytesTotal)
        let inodesTotal = try #require(detail.bricks[1].disk?.inodesTotal)
        detail.bricks[0].disk?.bytesFree = bytesTotal / 20
        detail.bricks[1].disk?.inodesFree = inodesTotal / 100
        pool.volumes[0].detail = detail
        let health = SiteHealth.assess(site(pool))
        #expect(health.verdict == .broken)
        #expect(codes(health) == [.brickInodesLow, .brickSpaceLow])
        let inodes = health.problems[0]
        #expect(inodes.severity == .broken && inodes.facts.host == "n2")
        #expect(abs((inodes.facts.fraction ?? 1) - 0.01) < 0.001)
        let space = health.problems[1]
        #expect(space.severity == .degraded && space.facts.host == "n1")
        #expect(health.volumes[0].bricks.map(\.verdict) == [.degraded, .broken, .healthy])
    }

    @Test func pluginMountsAndQuotas() {
        let plugin = PluginObservation(
            socket: "/run/docker/plugins/brickctl.sock", listening: false,
            mounts: [
                .init(glusterVolume: "gv0", mountPoint: "/var/lib/brickctl/plugin/mounts/gv0", state: .mounted),
                .init(
                    glusterVolume: "gv1", mountPoint: "/var/lib/brickctl/plugin/mounts/gv1",
                    state: .stale(error: "Transport endpoint is not connected")),
                .init(glusterVolume: "gv2", mountPoint: "/var/lib/brickctl/plugin/mounts/gv2", state: .notMounted),
            ],
            volumes: [.init(name: "wp_uploads", glusterVolume: "gv0", holders: 2)])
        let health = SiteHealth.assess(SiteObservation(host: "d1", now: Recorded.now, plugin: plugin))
        #expect(health.verdict == .degraded)
        #expect(codes(health) == [.pluginNotListening, .pluginMountStale])
        #expect(health.problems[1].facts.volume == "gv1")
        #expect(health.problems[1].facts.detail == "Transport endpoint is not connected")
    }

    @Test func aDirectoryQuotaNearlyFull() throws {
        // Recorded: /volumes/wp_uploads uses 9 of its 10 MiB, /volumes/other 0 of 100 MiB.
        var pool = try Recorded.healthyPool()
        pool.volumes[0].quotas = try DirectoryQuota.list(from: Recorded.envelope("quota-list")).map {
            QuotaObservation(quota: $0, dockerVolume: $0.path.split(separator: "/").last.map(String.init))
        }
        let health = SiteHealth.assess(site(pool))
        #expect(codes(health) == [])  // 90 % exactly is not more than 90 %
        pool.volumes[0].quotas[1].quota.usedBytes = 10_000_000
        let full = SiteHealth.assess(site(pool))
        #expect(codes(full) == [.quotaNearlyFull])
        #expect(full.problems[0].facts.file == "/volumes/wp_uploads" && full.problems[0].facts.detail == "wp_uploads")
        #expect(full.problems[0].facts.volume == "gv0")
    }

    @Test func swarmNodesAndStackServices() {
        func task(_ name: String, _ node: String, running: Bool, error: String = "") -> StackTask {
            StackTask(
                id: UUID().uuidString, name: name, node: node, desiredState: "Running",
                currentState: running ? "Running 2 minutes ago" : "Pending 1 minute ago", error: error)
        }
        let swarm = SwarmObservation(
            nodes: [
                SwarmNode(id: "a", hostname: "n1", role: "manager"), SwarmNode(id: "b", hostname: "n2", state: "down"),
            ],
            stacks: [
                "wp": [
                    task("wp_wordpress.1", "n1", running: true), task("wp_wordpress.2", "n2", running: false),
                    task("wp_db.1", "", running: false, error: "no suitable node"),
                    task("wp_haproxy.1", "n1", running: true),
                ]
            ])
        let health = SiteHealth.assess(SiteObservation(host: "n1", now: Recorded.now, swarm: swarm))
        #expect(health.verdict == .broken)
        #expect(codes(health) == [.serviceDown, .swarmNodeNotReady, .serviceDegraded])
        #expect(health.problems[0].facts.service == "db" && health.problems[0].facts.detail == "no suitable node")
        #expect(health.problems[2].facts.service == "wordpress" && health.problems[2].facts.online == 1)
        let services = StackServiceTasks.services(stack: "wp", tasks: swarm.stacks["wp"]!)
        #expect(services.map(\.name) == ["db", "haproxy", "wordpress"])
        #expect(services[2].nodes == ["n1"] && services[2].wanted == 2)
    }

    @Test func certificatesAndBackups() {
        let now = Recorded.now
        let site = SiteObservation(
            host: "n1", now: now,
            certificates: [
                .init(file: "/etc/ssl/glusterfs.pem", subject: "CN=n1", notAfter: now.addingTimeInterval(400 * 86_400)),
                .init(file: "/etc/ssl/glusterfs.ca", subject: "CN=ca", notAfter: now.addingTimeInterval(10 * 86_400)),
                .init(file: "/etc/brickctl/tls/ca.pem", subject: "CN=old", notAfter: now.addingTimeInterval(-60)),
            ],
            backups: [
                .init(stack: "wp", newestGoodDump: now.addingTimeInterval(-3 * 86_400)),
                .init(stack: "ok", newestGoodDump: now.addingTimeInterval(-3600)),
                .init(stack: "new", newestGoodDump: nil),
            ])
        let health = SiteHealth.assess(site)
        #expect(health.verdict == .broken)
        #expect(codes(health) == [.certificateExpired, .certificateExpiring, .backupTooOld, .backupMissing])
        #expect(health.problems[1].facts.days == 10)
        #expect(health.problems[2].facts.stack == "wp" && health.problems[2].facts.ageSeconds == 3 * 86_400)
    }

    @Test func jsonKeepsEveryKeyOfABrick() throws {
        var pool = try Recorded.healthyPool()
        pool.volumes[0].status = try Recorded.status("volume-status-brick-offline")
        let data = try JSONEncoder().encode(SiteHealth.assess(site(pool)))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["verdict"] as? String == "degraded")
        let volumes = try #require(json["volumes"] as? [[String: Any]])
        let bricks = try #require(volumes.first?["bricks"] as? [[String: Any]])
        #expect(bricks[2]["pid"] is NSNull && bricks[2]["online"] as? Bool == false)
        let problems = try #require(json["problems"] as? [[String: Any]])
        #expect(problems.first?["code"] as? String == "brick-offline")
        #expect((problems.first?["facts"] as? [String: Any])?["brick"] as? String == "n3:\(root)/gv0")
    }
}
