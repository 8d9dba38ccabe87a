import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct PeerTests {
    let n1 = "10166b89-381a-403d-bf41-03107b526174"
    let n2 = "8b5707c9-0eb1-41e9-a451-debca1d10546"
    let n3 = "f4c68bd5-9b96-4895-8a25-7c790830c0f4"

    @Test func poolListNamesEveryMemberAndThisHostLast() throws {
        let peers = try Peer.pool(from: Fixture.envelope("pool-list"))
        #expect(peers.map(\.hostname) == ["n2", "n3", "localhost"])
        #expect(peers.map(\.uuid) == [n2, n3, n1])
        #expect(peers.map(\.isSelf) == [false, false, true])
        #expect(peers.allSatisfy { $0.connected })
        #expect(peers.map(\.state) == ["Peer in Cluster", "Peer in Cluster", nil])
        #expect(peers.allSatisfy { $0.isInCluster })
        #expect(peers[0].otherHostnames.isEmpty)
    }

    @Test func peerStatusLeavesThisHostOut() throws {
        let peers = try Peer.pool(from: Fixture.envelope("peer-status"))
        #expect(peers.map(\.hostname) == ["n2", "n3"])
        #expect(!peers.contains { $0.isSelf })
    }

    @Test func aLonelyNodeIsOnlyItself() throws {
        let pool = try Peer.pool(from: Fixture.envelope("pool-list-alone"))
        #expect(pool == [Peer(uuid: n1, hostname: "localhost", connected: true, state: nil, isSelf: true)])
        #expect(try Peer.pool(from: Fixture.envelope("peer-status-alone")).isEmpty)
    }

    @Test func aProbeByAddressAddsAnotherHostname() throws {
        let peers = try Peer.pool(from: Fixture.envelope("pool-list-n3"))
        let first = try #require(peers.first)
        #expect(first.uuid == n1)
        #expect(first.hostname == "n1")
        #expect(first.otherHostnames == ["10.111.17.11"])
        #expect(first.hostnames == ["n1", "10.111.17.11"])
        #expect(peers.last?.uuid == n3 && peers.last?.isSelf == true)
    }

    @Test func aStoppedGlusterdShowsAsDisconnectedButStillInCluster() throws {
        let peers = try Peer.pool(from: Fixture.envelope("pool-list-peer-disconnected"))
        let n2Peer = try #require(peers.first { $0.hostname == "n2" })
        #expect(!n2Peer.connected)
        #expect(n2Peer.state == "Peer in Cluster")
        #expect(peers.filter { $0.connected }.map(\.hostname) == ["n3", "localhost"])
        #expect(
            try Peer.pool(from: Fixture.envelope("peer-status-peer-disconnected")).map(\.connected) == [false, true])
    }

    @Test func noPeerStatusIsUnreadable() throws {
        #expect(throws: GlusterXMLError.self) { try Peer.pool(from: Fixture.envelope("volume-info-none")) }
    }

    @Test(arguments: [
        ("peer-probe-new", PeerProbe.Outcome.added),
        ("peer-probe-already", .alreadyInPool),
        ("peer-probe-self", .localHost),
        ("peer-probe-already-by-address", .added),  // glusterd cannot tell: GlusterCLI.probe compares UUIDs
    ])
    func probeOutcomes(fixture: String, outcome: PeerProbe.Outcome) throws {
        let envelope = try Fixture.envelope(fixture)
        #expect(envelope.succeeded)
        #expect(PeerProbe.outcome(host: "n2", from: envelope).outcome == outcome)
    }

    @Test func alreadyInPeerListSaysSoInOutput() throws {
        let envelope = try Fixture.envelope("peer-probe-already")
        #expect(envelope.opErrno == 2)
        #expect(envelope.output == "Host n2 port 24007 already in peer list")
    }

    @Test func jsonShapeIsStable() throws {
        let peer = Peer(uuid: n1, hostname: "localhost", connected: true, state: nil, isSelf: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(peer), as: UTF8.self)
        #expect(
            json
                == #"{"connected":true,"hostname":"localhost","isSelf":true,"otherHostnames":[],"state":null,"uuid":"\#(n1)"}"#
        )
        #expect(try JSONDecoder().decode(Peer.self, from: Data(json.utf8)) == peer)
    }
}
