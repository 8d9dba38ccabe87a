import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct VolumeHealthTests {
    let root = "/data/glusterfs/brick1/brick"

    func volume(_ fixture: String, _ name: String) throws -> VolumeInfo {
        try #require(try VolumeInfo.list(from: Fixture.envelope(fixture)).first { $0.name == name })
    }

    func status(_ fixture: String) throws -> VolumeStatus {
        try #require(try VolumeStatus.list(from: Fixture.envelope(fixture)).first)
    }

    func heal(_ fixture: String) throws -> HealInfo {
        try HealInfo.decode(from: Fixture.envelope(fixture))
    }

    @Test func allOnlineNothingToHealIsHealthy() throws {
        let health = try status("volume-status-started").health(
            of: volume("volume-info-started", "gv0"), heal: heal("heal-info-clean"))
        #expect(health.verdict == .healthy)
        #expect(health.summary == "healthy: 3/3 bricks online, self-heal running on 3 hosts, 0 entries to heal")
        #expect(health.problems.isEmpty)
    }

    @Test func withoutHealInfoTheSentenceLeavesHealsOut() throws {
        let health = try status("volume-status-arbiter").health(of: volume("volume-info-all", "gva"))
        #expect(health.verdict == .healthy)
        #expect(health.summary == "healthy: 3/3 bricks online, self-heal running on 3 hosts")
    }

    @Test func notStartedIsDown() throws {
        let created = VolumeHealth.assess(volume: try volume("volume-info-created", "gv0"), status: nil)
        #expect(created.verdict == .down)
        #expect(created.summary == "down: volume gv0 is not serving clients: it is created, not started")
        let stopped = VolumeHealth.assess(volume: try volume("volume-info-stopped", "gv0"), status: nil)
        #expect(stopped.summary == "down: volume gv0 is not serving clients: it is stopped, not started")
    }

    @Test func oneBrickDownWithPendingHealsIsDegraded() throws {
        let health = try status("volume-status-brick-offline").health(
            of: volume("volume-info-started", "gv0"), heal: heal("heal-info-brick-offline"))
        #expect(health.verdict == .degraded)
        #expect(
            health.summary
                == "degraded: 2/3 bricks online (offline: n3:\(root)/gv0), self-heal running on 3 hosts, 18 entries to heal"
        )
        #expect(
            health.problems == [
                "1 brick(s) offline: n3:\(root)/gv0",
                "18 heal entries pending: redundancy is not complete until self-heal catches up",
            ])
    }

    @Test func pendingHealsAloneAreDegraded() throws {
        // All bricks back, heals not done yet.
        let health = try status("volume-status-started").health(
            of: volume("volume-info-started", "gv0"), heal: heal("heal-info-summary-brick-offline"))
        #expect(health.verdict == .degraded)
        // The summary was taken while n3 was unreachable: its count stays unknown.
        #expect(
            health.summary
                == "degraded: 3/3 bricks online, self-heal running on 3 hosts, 18 entries to heal (unknown on n3:\(root)/gv0)"
        )
        #expect(health.problems.last == "heal entries unknown on n3:\(root)/gv0")
    }

    @Test func unreachableGlusterdAndAnOfflineBrickLoseQuorum() throws {
        let health = try status("volume-status-peer-down").health(of: volume("volume-info-started", "gv0"))
        #expect(health.verdict == .degraded)
        #expect(
            health.summary
                == "degraded: the replica set lost quorum (1/3 bricks online): writes to its files fail; 1/3 bricks online (offline: n3:\(root)/gv0; not reported, glusterd unreachable: n2:\(root)/gv0), self-heal running on 2 hosts (not on n2)"
        )
        #expect(health.problems.first == "the replica set lost quorum (1/3 bricks online): writes to its files fail")
    }

    @Test func deadSelfHealDaemonIsDegraded() throws {
        let health = try status("volume-status-shd-offline").health(
            of: volume("volume-info-started", "gv0"), heal: heal("heal-info-clean"))
        #expect(health.verdict == .degraded)
        #expect(
            health.summary == "degraded: 3/3 bricks online, self-heal running on 2 hosts (not on n3), 0 entries to heal"
        )
        #expect(health.problems == ["self-heal daemon not running (or not reported) on n3: nothing heals there"])
    }

    @Test func onlyTheArbiterLeftIsDown() throws {
        let health = try status("volume-status-arbiter-only").health(of: volume("volume-info-all", "gva"))
        #expect(health.verdict == .down)
        #expect(
            health.summary.hasPrefix(
                "down: the replica set has no data brick online (only the arbiter, which holds no file contents): its files are unavailable; 1/3 bricks online"
            ))
        #expect(health.summary.hasSuffix("self-heal running on 2 hosts (not on n3)"))
    }

    @Test func aWholeReplicaSetDownIsDownEvenIfTheOtherServes() throws {
        let health = try status("volume-status-replica-set-down").health(
            of: volume("volume-info-distributed-replicate", "gvd"), heal: heal("heal-info-replica-set-down"))
        #expect(health.verdict == .down)
        #expect(
            health.summary
                == "down: replica set 1 has no data brick online: its files are unavailable; 3/6 bricks online (offline: n1:\(root)/gvd-a, n2:\(root)/gvd-a, n3:\(root)/gvd-a), self-heal running on 3 hosts, 0 entries to heal"
        )
    }

    @Test func plainDistributeNeedsEveryBrick() throws {
        var volume = try volume("volume-info-distribute", "gq1")
        volume.status = .started
        let bricks = volume.bricks.map {
            VolumeStatus.Brick(
                address: $0.address, hostUUID: $0.hostUUID, online: $0.address.host == "n1", port: 49152, pid: 1)
        }
        let health = VolumeStatus(name: "gq1", bricks: bricks).health(of: volume)
        #expect(health.verdict == .down)
        #expect(
            health.summary
                == "down: brick n2:\(root)/gq1 is offline: the files it holds are unavailable; 1/2 bricks online (offline: n2:\(root)/gq1)"
        )
        let up = bricks.map {
            VolumeStatus.Brick(address: $0.address, hostUUID: $0.hostUUID, online: true, port: 49152, pid: 1)
        }
        let allUp = VolumeStatus(name: "gq1", bricks: up).health(of: volume)
        #expect(allUp.summary == "healthy: 2/2 bricks online")
    }

    @Test func replica2KeepsWritingWithOneBrick() throws {
        // cluster.quorum-type defaults to none for replica 2: no quorum loss, only degraded.
        var volume = try volume("volume-info-replica2", "gq2")
        volume.status = .started
        let bricks = volume.bricks.map {
            VolumeStatus.Brick(address: $0.address, hostUUID: $0.hostUUID, online: $0.address.host == "n2")
        }
        let daemons = volume.bricks.map {
            VolumeStatus.SelfHealDaemon(host: $0.address.host, hostUUID: $0.hostUUID, online: true)
        }
        let health = VolumeStatus(name: "gq2", bricks: bricks, selfHealDaemons: daemons).health(of: volume)
        #expect(health.verdict == .degraded)
        #expect(health.summary == "degraded: 1/2 bricks online (offline: n1:\(root)/gq2), self-heal running on 2 hosts")
        // With quorum-type auto, only the first brick may stand alone.
        volume.options.append(.init(key: "cluster.quorum-type", value: "auto"))
        let strict = VolumeStatus(name: "gq2", bricks: bricks, selfHealDaemons: daemons).health(of: volume)
        #expect(strict.problems.first == "the replica set lost quorum (1/2 bricks online): writes to its files fail")
    }

    @Test func disperseToleratesItsRedundancy() {
        let bricks = (1...3).map {
            VolumeInfo.Brick(address: BrickAddress(host: "n\($0)", path: "\(root)/ec"), hostUUID: "u\($0)")
        }
        let volume = VolumeInfo(
            name: "ec", id: "x", status: .started, type: "Disperse", brickCount: 3, disperseCount: 3,
            redundancyCount: 1,
            bricks: bricks)
        let daemons = bricks.map {
            VolumeStatus.SelfHealDaemon(host: $0.address.host, hostUUID: $0.hostUUID, online: true)
        }
        func health(online: Int) -> VolumeHealth {
            let status = bricks.enumerated().map {
                VolumeStatus.Brick(address: $1.address, hostUUID: $1.hostUUID, online: $0 < online)
            }
            return VolumeStatus(name: "ec", bricks: status, selfHealDaemons: daemons).health(of: volume)
        }
        #expect(health(online: 3).verdict == .healthy)
        #expect(health(online: 2).verdict == .degraded)
        #expect(health(online: 1).verdict == .down)
        #expect(
            health(online: 1).problems.first
                == "the disperse set has 1/3 bricks online, needs 2: its files are unavailable")
    }

    @Test func longListsAreShortened() {
        let addresses = (1...5).map { BrickAddress(host: "n\($0)", path: "/b") }
        #expect(VolumeHealth.list(addresses) == "n1:/b, n2:/b, n3:/b and 2 more")
    }
}
