import BrickctlTestSupport
import Foundation
import Testing

@testable import Backup
@testable import Stack

/// `stack restore`'s decisions from the Swarm it finds (pure).
@Suite(.offCooperativePool) struct RestorePlanTests {
    /// The lab's Swarm: n1 manager, n2 database, n3 and n4 WordPress; n2 `state`.
    func nodes(n2State: String = "down") -> [SwarmNode] {
        [
            SwarmNode(id: "a", hostname: "n1", role: "manager"),
            SwarmNode(id: "b", hostname: "n2", state: n2State, labels: ["database": "true"]),
            SwarmNode(id: "c", hostname: "n3", labels: ["wordpress": "true"]),
            SwarmNode(id: "d", hostname: "n4", labels: ["wordpress": "true"]),
        ]
    }

    func facts(
        _ nodes: [SwarmNode], running: [String] = [], node: String? = "n3", force: Bool = false,
        plugins: Set<String> = ["n1", "n3", "n4"]
    ) -> RestorePlan.Facts {
        .init(
            nodes: nodes, nodesWithVolumePlugin: plugins, databaseRunningOn: running, requestedNode: node,
            force: force, wordpressReplicas: 2)
    }

    @Test func theDatabaseMovesToAWordPressNodeWhichStopsRunningWordPress() throws {
        let plan = try RestorePlan.decide(facts(nodes()))
        #expect(plan.databaseNode == "n3")
        #expect(plan.labelsToAdd == [.init(node: "n3", label: "database")])
        #expect(plan.labelsToRemove == [.init(node: "n2", label: "database"), .init(node: "n3", label: "wordpress")])
        #expect(plan.wordpressReplicas == 1)
        #expect(
            plan.notes == [
                .databaseMoves(from: ["n2"], to: "n3"), .wordpressLeaves(node: "n3"),
                .fewerReplicas(wanted: 2, remaining: 1),
            ])
    }

    @Test func aRunningDatabaseIsRefusedUnlessForced() throws {
        #expect(throws: RestorePlan.Refusal.databaseRunning(node: "n2")) {
            try RestorePlan.decide(facts(nodes(n2State: "ready"), running: ["n2"], node: nil))
        }
        var forced = facts(
            nodes(n2State: "ready"), running: ["n2"], node: nil, force: true, plugins: ["n1", "n2", "n3", "n4"])
        forced.databaseVolume = "wp_db-data"
        forced.stamp = "20261207T041500Z"
        let plan = try RestorePlan.decide(forced)
        #expect(plan.databaseNode == "n2" && plan.labelsToAdd.isEmpty && plan.labelsToRemove.isEmpty)
        #expect(plan.wordpressReplicas == 2)
        // Never over the old data: a fresh volume, the old one kept where it is.
        #expect(plan.databaseVolume == "wp_db-data-20261207T041500Z")
        #expect(
            plan.notes == [
                .replacesRunningDatabase(node: "n2"), .oldDataKeptAside(volume: "wp_db-data", nodes: ["n2"]),
            ])
    }

    @Test func withoutForceTheDatabaseKeepsItsVolume() throws {
        var moved = facts(nodes())
        moved.databaseVolume = "wp_db-data-20261207T041500Z"
        let plan = try RestorePlan.decide(moved)
        #expect(plan.databaseVolume == "wp_db-data-20261207T041500Z")
        #expect(!plan.notes.contains { if case .oldDataKeptAside = $0 { true } else { false } })
    }

    /// A second forced restore names its volume after the stack's, not after the first restore's.
    @Test func freshVolumeNamesReplaceAnEarlierStamp() {
        #expect(
            RestorePlan.freshVolume(current: "wp_db-data", stamp: "20261207T041500Z") == "wp_db-data-20261207T041500Z")
        #expect(
            RestorePlan.freshVolume(current: "wp_db-data-20261207T041500Z", stamp: "20261208T000000Z")
                == "wp_db-data-20261208T000000Z")
        #expect(
            RestorePlan.freshVolume(current: "my-site_db-data", stamp: "20261207T041500Z")
                == "my-site_db-data-20261207T041500Z")
        #expect(DumpFile.stamp(Date(timeIntervalSince1970: 1_796_616_900)).count == 16)
        #expect(DumpFile.stamp(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
    }

    @Test func aNodeThatCannotHoldTheDatabaseIsRefused() {
        #expect(throws: RestorePlan.Refusal.unknownNode("n9")) { try RestorePlan.decide(facts(nodes(), node: "n9")) }
        // A mistyped node is named even while the database still runs (both need fixing).
        #expect(throws: RestorePlan.Refusal.unknownNode("n9")) {
            try RestorePlan.decide(facts(nodes(), running: ["n2"], node: "n9"))
        }
        #expect(throws: RestorePlan.Refusal.nodeNotReady("n2", state: "down")) {
            try RestorePlan.decide(facts(nodes(), node: nil))
        }
        #expect(throws: RestorePlan.Refusal.noVolumePlugin("n3")) {
            try RestorePlan.decide(facts(nodes(), plugins: ["n1", "n4"]))
        }
        var alone = nodes()
        alone[3].labels = [:]
        #expect(throws: RestorePlan.Refusal.noWordPressNode) { try RestorePlan.decide(facts(alone)) }
        alone = nodes().map {
            var n = $0
            n.labels = [:]
            return n
        }
        #expect(throws: RestorePlan.Refusal.noDatabaseNode) { try RestorePlan.decide(facts(alone, node: nil)) }
    }

    @Test func theManagerAsDatabaseNodeKeepsBothReplicas() throws {
        let plan = try RestorePlan.decide(facts(nodes(), node: "n1"))
        #expect(plan.databaseNode == "n1" && plan.wordpressReplicas == 2)
        #expect(plan.labelsToRemove == [.init(node: "n2", label: "database")])
    }
}
