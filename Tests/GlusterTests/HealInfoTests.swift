import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct HealInfoTests {
    let root = "/data/glusterfs/brick1/brick"

    @Test func nothingToHeal() throws {
        let heal = try HealInfo.decode(from: Fixture.envelope("heal-info-clean"))
        #expect(heal.bricks.map(\.address.description) == ["n1:\(root)/gv0", "n2:\(root)/gv0", "n3:\(root)/gv0"])
        #expect(heal.bricks.map(\.entries) == [0, 0, 0])
        #expect(heal.bricks.allSatisfy { $0.connected })
        #expect(heal.bricks.allSatisfy { $0.files.isEmpty })
        #expect(heal.total == 0)
        #expect(heal.unknown.isEmpty)
    }

    @Test func writesWhileABrickWasDown() throws {
        let heal = try HealInfo.decode(from: Fixture.envelope("heal-info-brick-offline"))
        #expect(heal.bricks.map(\.entries) == [9, 9, nil])
        #expect(heal.total == 18)
        #expect(heal.unknown == [BrickAddress(host: "n3", path: "\(root)/gv0")])
        let n1 = heal.bricks[0]
        #expect(n1.hostUUID == "10166b89-381a-403d-bf41-03107b526174")
        #expect(
            n1.files.map(\.path) == [
                "/after1", "/", "/after2", "/after3", "/after4", "/after5", "/dir", "/dir/f", "/before1",
            ])
        #expect(n1.files[1].gfid == "00000000-0000-0000-0000-000000000001")
        #expect(n1.splitBrain == nil)
        let n3 = heal.bricks[2]
        #expect(n3.hostUUID == nil)
        #expect(n3.status == "Transport endpoint is not connected")
        #expect(!n3.connected)
        #expect(n3.files.isEmpty)
    }

    @Test func pendingPathsAreEachPathOnceSorted() throws {
        let heal = try HealInfo.decode(from: Fixture.envelope("heal-info-brick-offline"))
        #expect(
            heal.pendingPaths == [
                "/", "/after1", "/after2", "/after3", "/after4", "/after5", "/before1", "/dir", "/dir/f",
            ])
        let gfidOnly = HealInfo(bricks: [
            .init(
                address: BrickAddress(host: "n1", path: "/b"), hostUUID: nil, status: "Connected", entries: 1,
                files: [.init(path: "<gfid:1f87304b-5c93-4898-9d31-2aa8c29ee47d>")])
        ])
        #expect(gfidOnly.pendingPaths.isEmpty)
    }

    @Test func summaryCountsWithSplitBrain() throws {
        let heal = try HealInfo.decode(from: Fixture.envelope("heal-info-summary-brick-offline"))
        #expect(heal.bricks.map(\.entries) == [9, 9, nil])
        #expect(heal.bricks.map(\.splitBrain) == [0, 0, nil])
        #expect(heal.bricks.map(\.possiblyHealing) == [0, 0, nil])
        #expect(heal.splitBrain == 0)
        #expect(heal.total == 18)
        // glusterd 10.3 runs the words together for an unreachable brick.
        #expect(
            heal.bricks[2].status
                == "Failed to process entries completely. (Transport endpoint is not connected)totalNumberOfEntries0")
        let clean = try HealInfo.decode(from: Fixture.envelope("heal-info-summary-clean"))
        #expect(clean.bricks.map(\.entries) == [0, 0, 0] && clean.total == 0)
    }

    @Test func aDeadSetIsUnknown() throws {
        let heal = try HealInfo.decode(from: Fixture.envelope("heal-info-replica-set-down"))
        #expect(heal.bricks.count == 6)
        #expect(heal.unknown.map(\.path) == Array(repeating: "\(root)/gvd-a", count: 3))
        #expect(heal.bricks.suffix(3).map(\.entries) == [0, 0, 0])
        #expect(heal.total == 0)
    }

    @Test func refusedHealInfoHasNoBricks() throws {
        let envelope = try Fixture.envelope("fail-heal-info-stopped")
        #expect(!envelope.succeeded)
        #expect(try HealInfo.decode(from: envelope).bricks.isEmpty)
    }

    @Test func jsonCarriesTotalAndConnected() throws {
        let heal = try HealInfo.decode(from: Fixture.envelope("heal-info-brick-offline"))
        let data = try JSONEncoder().encode(heal)
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["total"] as? Int == 18)
        let bricks = try #require(object["bricks"] as? [[String: Any]])
        #expect(bricks[2]["connected"] as? Bool == false)
        #expect(bricks[2]["entries"] is NSNull)
        #expect(bricks[0]["entries"] as? Int == 9)
        #expect(try JSONDecoder().decode(HealInfo.self, from: data) == heal)
    }
}
