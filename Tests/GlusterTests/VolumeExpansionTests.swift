import BrickctlTestSupport
import Testing

@testable import Gluster

/// `volume expand`'s plans from recorded `volume info` answers (Fixtures/README).
@Suite(.offCooperativePool) struct VolumeExpansionTests {
    let root = "/data/glusterfs/brick1/brick"
    let pool = ["n1", "n2", "n3", "n4", "n5", "n6"]

    func volume(_ fixture: String, _ name: String) throws -> VolumeInfo {
        try #require(try VolumeInfo.list(from: Fixture.envelope(fixture)).first { $0.name == name }).started()
    }

    @Test func aSecondReplicaSetOnThreeNewHosts() throws {
        let gv0 = try volume("volume-info-started", "gv0")
        let plan = try VolumeExpansion.addSets(
            name: "gv0", volume: gv0, allVolumes: [gv0], pool: pool, hosts: ["n4", "n5", "n6"], brickRoot: root)
        #expect(plan.kind == .addSets(count: 1))
        #expect(plan.setsAfter.count == 2)
        #expect(
            plan.glusterCalls == [
                ["volume", "add-brick", "gv0", "n4:\(root)/gv0", "n5:\(root)/gv0", "n6:\(root)/gv0"]
            ])
    }

    @Test func theSameHostsAgainGetTheirSecondDiskOrAreRefused() throws {
        let gv0 = try volume("volume-info-started", "gv0")
        // n1..n3 with the same brick root: those bricks are gv0's own → already added (twice-safe).
        let again = try VolumeExpansion.addSets(
            name: "gv0", volume: gv0, allVolumes: [gv0], pool: pool, hosts: ["n1", "n2", "n3"], brickRoot: root)
        #expect(again.isAdded && again.glusterCalls.isEmpty)
        // On a second disk of the same hosts: fine.
        let second = try VolumeExpansion.addSets(
            name: "gv0", volume: gv0, allVolumes: [gv0], pool: pool, hosts: ["n1", "n2", "n3"],
            brickRoot: "/data/glusterfs/brick2/brick")
        #expect(second.newBricks.map(\.host) == ["n1", "n2", "n3"])
    }

    @Test func wrongHostCountHostOutsideThePoolAndTwoCopiesOnOneHostAreRefused() throws {
        let gv0 = try volume("volume-info-started", "gv0")
        #expect(throws: VolumeExpansionRefusal.wrongHostCount(given: 2, setSize: 3)) {
            try VolumeExpansion.addSets(
                name: "gv0", volume: gv0, allVolumes: [], pool: pool, hosts: ["n4", "n5"], brickRoot: root)
        }
        #expect(throws: VolumeExpansionRefusal.hostNotInPool("n9", pool: pool)) {
            try VolumeExpansion.addSets(
                name: "gv0", volume: gv0, allVolumes: [], pool: pool, hosts: ["n4", "n5", "n9"], brickRoot: root)
        }
        #expect(throws: VolumeExpansionRefusal.brickTwice) {
            try VolumeExpansion.addSets(
                name: "gv0", volume: gv0, allVolumes: [], pool: pool, hosts: ["n4", "n4", "n5"], brickRoot: root)
        }
        #expect(throws: VolumeExpansionRefusal.unknownVolume("nope")) {
            try VolumeExpansion.addSets(
                name: "nope", volume: nil, allVolumes: [], pool: pool, hosts: ["n4", "n5", "n6"], brickRoot: root)
        }
    }

    @Test func replicaTwoBecomesThree() throws {
        let gq2 = try volume("volume-info-replica2", "gq2")
        let plan = try VolumeExpansion.raiseReplica(
            name: "gq2", volume: gq2, allVolumes: [gq2], pool: pool, to: 3, hosts: ["n3"], brickRoot: root)
        #expect(plan.kind == .raiseReplica(from: 2, to: 3))
        #expect(plan.glusterCalls == [["volume", "add-brick", "gq2", "replica", "3", "n3:\(root)/gq2"]])
        // The new copy on a host the set already has: refused.
        #expect {
            try VolumeExpansion.raiseReplica(
                name: "gq2", volume: gq2, allVolumes: [gq2], pool: pool, to: 3, hosts: ["n1"],
                brickRoot: "/data/glusterfs/brick2/brick")
        } throws: { error in
            if case .setOnOneHost = error as? VolumeExpansionRefusal { return true }
            return false
        }
        #expect(throws: VolumeExpansionRefusal.wrongHostCount(given: 2, setSize: 1)) {
            try VolumeExpansion.raiseReplica(
                name: "gq2", volume: gq2, allVolumes: [gq2], pool: pool, to: 3, hosts: ["n3", "n4"], brickRoot: root)
        }
    }

    @Test func anArbiterBecomesADataBrick() throws {
        let gva = try volume("volume-info-all", "gva")
        let plan = try VolumeExpansion.raiseReplica(
            name: "gva", volume: gva, allVolumes: [gva], pool: pool, to: 3, hosts: ["n4"], brickRoot: root)
        #expect(plan.kind == .arbiterToData)
        #expect(
            plan.glusterCalls == [
                ["volume", "remove-brick", "gva", "replica", "2", "n3:\(root)/gva", "force"],
                ["volume", "add-brick", "gva", "replica", "3", "n4:\(root)/gva"],
            ])
        #expect(
            plan.setsAfter == [
                [
                    BrickAddress(host: "n1", path: "\(root)/gva"), BrickAddress(host: "n2", path: "\(root)/gva"),
                    BrickAddress(host: "n4", path: "\(root)/gva"),
                ]
            ])
    }

    @Test func replicaAlreadyReachedIsNothingToDo() throws {
        let gv0 = try volume("volume-info-started", "gv0")
        let plan = try VolumeExpansion.raiseReplica(
            name: "gv0", volume: gv0, allVolumes: [gv0], pool: pool, to: 3, hosts: [], brickRoot: root)
        #expect(plan.isAdded && plan.glusterCalls.isEmpty)
        #expect(throws: VolumeExpansionRefusal.replicaNotSupported(from: 3, to: 5, arbiter: false)) {
            try VolumeExpansion.raiseReplica(
                name: "gv0", volume: gv0, allVolumes: [gv0], pool: pool, to: 5, hosts: ["n4"], brickRoot: root)
        }
    }
}

@Suite(.offCooperativePool) struct RebalanceStatusTests {
    @Test func inProgressThenCompleted() throws {
        let early = try RebalanceStatus.decode(from: Fixture.envelope("rebalance-status-early"))
        #expect(early.nodes.map(\.host) == ["n2", "localhost"])
        #expect(!early.isCompleted && !early.hasFailed)
        let done = try RebalanceStatus.decode(from: Fixture.envelope("rebalance-status-completed"))
        #expect(done.isCompleted)
        #expect(done.total.files == 90 && done.total.scanned == 204 && done.total.bytes == 307)
        #expect(done.line == "90 files (307 bytes) moved, 204 scanned, 0 failures: n2 completed, localhost completed")
    }
}
