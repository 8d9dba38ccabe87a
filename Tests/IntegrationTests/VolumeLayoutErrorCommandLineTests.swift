import BrickctlTestSupport
import Testing

@testable import BrickctlCommands
@testable import Gluster

/// `brickctl volume create` words layout errors with its own options (the domain's words name none).
@Suite(.offCooperativePool) struct VolumeLayoutErrorCommandLineTests {
    @Test func theCommandNamesItsOptions() {
        let set = ["n1:/b/x", "n1:/b/y"].compactMap(BrickAddress.init(parsing:))
        let cases: [(VolumeLayoutError, String)] = [
            (.replicaBelowOne(0), "--replica must be 1 or more (got 0)"),
            (
                .arbiterNeedsReplicaTwo(replica: 3),
                "--arbiter goes with --replica 2: two data bricks and one arbiter per replica set"
            ),
            (
                .chosenHostsNotWholeSets(hosts: 3, setSize: 2),
                "--hosts names 3 hosts: give a multiple of 2 (one replica set per 2 hosts)"
            ),
            (
                .setOnOneHost(set),
                "replica set n1:/b/x n1:/b/y has two bricks on one host: a host failure would lose both copies. Order the bricks so each set spans distinct hosts (or pass --force)"
            ),
            (.invalid("a brick is given twice"), "a brick is given twice"),
        ]
        for (error, text) in cases {
            #expect(error.commandLineDescription == text)
        }
    }
}
