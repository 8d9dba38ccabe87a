import BrickctlTestSupport
import Testing

@testable import Gluster

/// `VolumeLayoutError` says what is wrong with the layout, typed, in words that name no
/// command-line option.
@Suite(.offCooperativePool) struct VolumeLayoutErrorTests {
    let root = "/data/glusterfs/brick1/brick"

    func error(
        replica: Int = 2, arbiter: Bool = false, hosts: [String] = ["n1", "n2"], bricks: [String] = [],
        hostsChosen: Bool = false
    ) -> VolumeLayoutError? {
        do {
            _ = try VolumeLayout.plan(
                name: "g", replica: replica, arbiter: arbiter, hosts: hosts, brickRoot: root,
                bricks: bricks.compactMap(BrickAddress.init(parsing:)), hostsChosen: hostsChosen)
            return nil
        } catch {
            return error
        }
    }

    @Test func replicaBelowOne() {
        #expect(error(replica: 0) == .replicaBelowOne(0))
        #expect(error(replica: 0)?.description == "the replica count must be 1 or more (got 0)")
    }

    @Test func arbiterOnlyWithReplicaTwo() {
        #expect(error(replica: 3, arbiter: true, hosts: ["a", "b", "c", "d"]) == .arbiterNeedsReplicaTwo(replica: 3))
    }

    @Test func chosenHostsMustMakeWholeSets() {
        let e = error(hosts: ["a", "b", "c"], hostsChosen: true)
        #expect(e == .chosenHostsNotWholeSets(hosts: 3, setSize: 2))
        #expect(e?.description == "3 hosts were chosen: give a multiple of 2 (one replica set per 2 hosts)")
    }

    @Test func aSetOnOneHostNamesTheSet() {
        let e = error(hosts: [], bricks: ["n1:/b/x", "n1:/b/y"])
        #expect(e == .setOnOneHost(["n1:/b/x", "n1:/b/y"].compactMap(BrickAddress.init(parsing:))))
        #expect(e?.description.hasPrefix("replica set n1:/b/x n1:/b/y has two bricks on one host") == true)
    }

    @Test func noDescriptionNamesAnOption() {
        let errors = [
            error(replica: 0), error(replica: 3, arbiter: true, hosts: ["a", "b", "c", "d"]),
            error(hosts: ["a", "b", "c"], hostsChosen: true), error(hosts: [], bricks: ["n1:/b/x", "n1:/b/y"]),
            error(hosts: [], bricks: ["n1:/b/x", "n2:/b/x", "n3:/b/x"]),
        ]
        for e in errors {
            #expect(e != nil)
            #expect(e?.description.contains("--") == false, "\(String(describing: e))")
        }
    }
}
