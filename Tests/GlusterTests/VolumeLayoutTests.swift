import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct VolumeLayoutTests {
    let root = "/data/glusterfs/brick1/brick"

    @Test func replicaTwoOnTheFirstTwoHostsThisHostFirst() throws {
        let layout = try VolumeLayout.plan(
            name: "gv0", replica: 2, arbiter: false, hosts: ["n1", "n2", "n3"], brickRoot: root)
        #expect(layout.bricks.map(\.description) == ["n1:\(root)/gv0", "n2:\(root)/gv0"])
        #expect(layout.createArguments == ["replica", "2", "n1:\(root)/gv0", "n2:\(root)/gv0"])
        #expect(layout.warnings.count == 1)
        #expect(layout.warnings == [.replicaTwoCanSplitBrain])
        #expect(
            layout.warnings[0].description.contains("split-brain") && !layout.warnings[0].description.contains("--"))
    }

    @Test func arbiterAddsAThirdBrickPerSet() throws {
        let layout = try VolumeLayout.plan(
            name: "gva", replica: 2, arbiter: true, hosts: ["n1", "n2", "n3"], brickRoot: root + "/")
        #expect(layout.setSize == 3)
        #expect(
            layout.createArguments == [
                "replica", "3", "arbiter", "1", "n1:\(root)/gva", "n2:\(root)/gva", "n3:\(root)/gva",
            ])
        #expect(layout.warnings.isEmpty)
    }

    @Test func replicaThreeAndPlainDistribute() throws {
        let three = try VolumeLayout.plan(
            name: "g3", replica: 3, arbiter: false, hosts: ["n1", "n2", "n3"], brickRoot: root)
        #expect(three.createArguments.prefix(2) == ["replica", "3"])
        #expect(three.warnings.isEmpty)
        let one = try VolumeLayout.plan(name: "g1", replica: 1, arbiter: false, hosts: ["n1", "n2"], brickRoot: root)
        #expect(one.createArguments == ["n1:\(root)/g1"])
    }

    @Test func chosenHostsMakeSeveralSets() throws {
        let layout = try VolumeLayout.plan(
            name: "dr", replica: 2, arbiter: false, hosts: ["a", "b", "c", "d"], brickRoot: root, hostsChosen: true)
        #expect(layout.replicaSets.map { $0.map(\.host) } == [["a", "b"], ["c", "d"]])
        #expect(throws: VolumeLayoutError.self) {
            try VolumeLayout.plan(
                name: "dr", replica: 2, arbiter: false, hosts: ["a", "b", "c"], brickRoot: root, hostsChosen: true)
        }
    }

    @Test func notEnoughHosts() {
        #expect(
            throws: VolumeLayoutError.tooFewHosts(setSize: 3, pool: ["n1", "n2"])
        ) {
            try VolumeLayout.plan(name: "g", replica: 3, arbiter: false, hosts: ["n1", "n2", "n1"], brickRoot: root)
        }
    }

    @Test func givenBricksAreUsedAsGivenButChecked() throws {
        let given = ["n2:/b/x", "n1:/b/x", "n3:/b/y", "n1:/b/y"].compactMap(BrickAddress.init(parsing:))
        let layout = try VolumeLayout.plan(
            name: "g", replica: 2, arbiter: false, hosts: [], brickRoot: root, bricks: given)
        #expect(layout.bricks == given)
        let sameHost = ["n1:/b/x", "n1:/b/y"].compactMap(BrickAddress.init(parsing:))
        #expect(throws: VolumeLayoutError.self) {
            try VolumeLayout.plan(name: "g", replica: 2, arbiter: false, hosts: [], brickRoot: root, bricks: sameHost)
        }
        #expect(
            try VolumeLayout.plan(
                name: "g", replica: 2, arbiter: false, hosts: [], brickRoot: root, bricks: sameHost, force: true
            ).bricks == sameHost)
        #expect(throws: VolumeLayoutError.self) {
            try VolumeLayout.plan(
                name: "g", replica: 2, arbiter: false, hosts: [], brickRoot: root, bricks: Array(given.prefix(3)))
        }
    }

    @Test(arguments: ["", "-x", "has space", "ünï", String(repeating: "a", count: 65), "all"])
    func badNames(name: String) {
        #expect(throws: VolumeLayoutError.self) {
            try VolumeLayout.plan(name: name, replica: 1, arbiter: false, hosts: ["n1"], brickRoot: root)
        }
    }

    @Test func arbiterOnlyWithReplicaTwo() {
        #expect(throws: VolumeLayoutError.self) {
            try VolumeLayout.plan(name: "g", replica: 3, arbiter: true, hosts: ["a", "b", "c", "d"], brickRoot: root)
        }
    }

    @Test func brickAddresses() {
        #expect(BrickAddress(parsing: "n1:/data/x")?.host == "n1")
        #expect(BrickAddress(parsing: "10.0.0.2:/data/x")?.path == "/data/x")
        #expect(BrickAddress(parsing: "n1:data") == nil)
        #expect(BrickAddress(parsing: ":/data") == nil)
        #expect(BrickAddress(parsing: "/data") == nil)
    }
}
