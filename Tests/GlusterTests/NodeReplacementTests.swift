import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct NodeReplacementTests {
    let root = "/data/glusterfs/brick1/brick"
    let pool = ["n1", "n2", "n3", "n4"]

    func volume(_ fixture: String, _ name: String) throws -> VolumeInfo {
        try #require(try VolumeInfo.list(from: Fixture.envelope(fixture)).first { $0.name == name }).started()
    }
    func status(_ fixture: String) throws -> VolumeStatus {
        try #require(try VolumeStatus.list(from: Fixture.envelope(fixture)).first)
    }
    func heal(_ fixture: String) throws -> HealInfo { try HealInfo.decode(from: Fixture.envelope(fixture)) }

    /// gv0 with n3 dead (its brick offline, 9 entries pending on n1 and n2).
    func plan(old: String = "n3", new: String = "n4", pool: [String]? = nil, brickRoot: String? = nil) throws
        -> NodeReplacement
    {
        let gv0 = try volume("volume-info-started", "gv0")
        return try NodeReplacement.plan(
            old: old, new: new, volumes: [gv0], statuses: ["gv0": try status("volume-status-brick-offline")],
            heals: ["gv0": try heal("heal-info-summary-brick-offline")], pool: pool ?? self.pool,
            brickRoot: brickRoot ?? root)
    }

    @Test func everyBrickOfTheDeadHostGoesToTheNewOne() throws {
        let plan = try plan()
        #expect(plan.bricks.count == 1)
        #expect(plan.bricks[0].old == BrickAddress(host: "n3", path: "\(root)/gv0"))
        #expect(plan.bricks[0].new == BrickAddress(host: "n4", path: "\(root)/gv0"))
        #expect(plan.bricks[0].phase == .replace)
        #expect(plan.volumes == ["gv0"])
    }

    @Test func thePluginsServersListGetsNewWhereOldWas() {
        #expect(NodeReplacement.servers(["n2", "n3", "n4"], replacing: "n2", by: "n5") == ["n5", "n3", "n4"])
        #expect(NodeReplacement.servers(["n2", "n3", "n5"], replacing: "n2", by: "n5") == ["n3", "n5"])
        #expect(NodeReplacement.servers(["n3", "n4"], replacing: "n2", by: "n5") == ["n3", "n4"])
    }

    @Test func authAllowLosesOldGainsNewAndDropsWhatReplaceBrickAppended() {
        let before = AuthAllow(value: "10.0.0.1,10.0.0.2,10.0.0.3,client.example")
        // glusterd's replace-brick appended brick host names (measured: `,n2,n4`).
        let current = AuthAllow(value: "10.0.0.1,10.0.0.2,10.0.0.3,client.example,n2,n4")
        let wanted = NodeReplacement.authAllow(
            before: before, current: current, removing: ["10.0.0.3", "n3"], adding: ["10.0.0.4"])
        #expect(wanted?.value == "10.0.0.1,10.0.0.2,client.example,10.0.0.4")
        // A second run (no value from before replace-brick): from the current list; nothing to do.
        #expect(
            NodeReplacement.authAllow(
                before: nil, current: wanted!, removing: ["10.0.0.3", "n3"], adding: ["10.0.0.4"]) == nil)
        #expect(
            NodeReplacement.authAllow(before: nil, current: .everyone, removing: ["n3"], adding: ["10.0.0.4"]) == nil)
    }

    @Test func badHostsAreRefused() {
        #expect(throws: NodeReplacementRefusal.sameHost("n3")) { try plan(new: "n3") }
        #expect(throws: NodeReplacementRefusal.newNotInPool("n4", pool: ["n1", "n2", "n3"])) {
            try plan(pool: ["n1", "n2", "n3"])
        }
        // n1 already holds a copy of gv0's only set.
        #expect {
            try plan(new: "n1", brickRoot: "/data/glusterfs/brick2/brick")
        } throws: { error in
            guard case .brick("gv0", _, .newOnHostOfCopy) = error as? NodeReplacementRefusal else { return false }
            return true
        }
    }

    @Test func aSetWithNoOtherCopyOnlineIsRefusedBeforeAnythingMoves() throws {
        // gvd (2 x 3): the whole gvd-a set is down; n3 holds gvd-a and gvd-b.
        let gvd = try volume("volume-info-distributed-replicate", "gvd")
        #expect {
            try NodeReplacement.plan(
                old: "n3", new: "n4", volumes: [gvd], statuses: ["gvd": try status("volume-status-replica-set-down")],
                heals: [:], pool: pool, brickRoot: root)
        } throws: { error in
            guard case .brick("gvd", let brick, .lastGoodCopy) = error as? NodeReplacementRefusal else { return false }
            return brick.host == "n3" && brick.path.hasSuffix("gvd-a")
        }
    }

    @Test func twoBricksOfOneVolumeKeepTheirOwnDirectories() throws {
        let gvd = try volume("volume-info-distributed-replicate", "gvd")
        // n3 dead, everything else online.
        let online = VolumeStatus(
            name: "gvd",
            bricks: gvd.bricks.map {
                VolumeStatus.Brick(address: $0.address, hostUUID: $0.hostUUID, online: $0.address.host != "n3")
            })
        let plan = try NodeReplacement.plan(
            old: "n3", new: "n4", volumes: [gvd], statuses: ["gvd": online], heals: [:], pool: pool,
            brickRoot: "/data/glusterfs/brick2/brick")
        #expect(
            plan.bricks.map(\.new.path) == ["/data/glusterfs/brick2/brick/gvd-a", "/data/glusterfs/brick2/brick/gvd-b"])
        #expect(plan.bricks.map(\.setIndex) == [0, 1])
    }

    @Test func aSecondRunFindsTheMovedBricks() throws {
        var gv0 = try volume("volume-info-started", "gv0")
        gv0.bricks[2].address = BrickAddress(host: "n4", path: "\(root)/gv0")
        let again = try NodeReplacement.plan(
            old: "n3", new: "n4", volumes: [gv0], statuses: [:], heals: [:], pool: pool, brickRoot: root)
        #expect(again.bricks.isEmpty)
        var clean = try heal("heal-info-summary-clean")
        clean.bricks[2].address = gv0.bricks[2].address
        let resumed = NodeReplacement.resumed(
            old: "n3", new: "n4", volumes: [gv0], heals: ["gv0": clean], brickRoot: root)
        #expect(resumed.map(\.phase) == [.done])
        #expect(resumed.first?.setIndex == 0)
    }
}
