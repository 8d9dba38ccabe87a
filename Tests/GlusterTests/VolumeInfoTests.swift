import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct VolumeInfoTests {
    let root = "/data/glusterfs/brick1/brick"

    func one(_ fixture: String) throws -> VolumeInfo {
        let volumes = try VolumeInfo.list(from: Fixture.envelope(fixture))
        try #require(volumes.count == 1)
        return volumes[0]
    }

    @Test func noVolumesIsAnEmptyList() throws {
        #expect(try VolumeInfo.list(from: Fixture.envelope("volume-info-none")).isEmpty)
    }

    @Test func createdReplica3() throws {
        let volume = try one("volume-info-created")
        #expect(volume.name == "gv0")
        #expect(volume.id == "cdd06ae0-5d36-413f-a7ca-50cb5ac9bb4f")
        #expect(volume.status == .created)
        #expect(volume.type == "Replicate")
        #expect(volume.brickCount == 3)
        #expect(volume.replicaCount == 3)
        #expect(volume.arbiterCount == 0)
        #expect(volume.distributeCount == 1)
        #expect(volume.transport == "tcp")
        #expect(volume.bricks.map(\.address.description) == ["n1:\(root)/gv0", "n2:\(root)/gv0", "n3:\(root)/gv0"])
        #expect(
            volume.bricks.map(\.hostUUID) == [
                "10166b89-381a-403d-bf41-03107b526174", "8b5707c9-0eb1-41e9-a451-debca1d10546",
                "f4c68bd5-9b96-4895-8a25-7c790830c0f4",
            ])
        #expect(!volume.bricks.contains { $0.isArbiter })
        #expect(
            volume.options.map(\.key) == [
                "cluster.granular-entry-heal", "storage.fips-mode-rchecksum", "transport.address-family", "nfs.disable",
                "performance.client-io-threads",
            ])
        #expect(volume.option("nfs.disable") == "on")
        #expect(volume.option("performance.client-io-threads") == "off")
        #expect(volume.option("network.ping-timeout") == nil)
        #expect(volume.sets.count == 1)
    }

    @Test func statusFollowsTheVolume() throws {
        #expect(try one("volume-info-started").status == .started)
        #expect(try one("volume-info-stopped").status == .stopped)
    }

    @Test func setOptionComesFirst() throws {
        let volume = try one("volume-info-after-set")
        #expect(volume.options.first == VolumeInfo.Option(key: "network.ping-timeout", value: "5"))
        #expect(volume.options.count == 6)
    }

    @Test func allVolumesWithArbiter() throws {
        let volumes = try VolumeInfo.list(from: Fixture.envelope("volume-info-all"))
        #expect(volumes.map(\.name) == ["gv0", "gva"])
        let gva = volumes[1]
        #expect(gva.replicaCount == 3)
        #expect(gva.arbiterCount == 1)
        #expect(gva.bricks.map(\.isArbiter) == [false, false, true])
        #expect(gva.bricks[2].address == BrickAddress(host: "n3", path: "\(root)/gva"))
        #expect(gva.setSize == 3)
        #expect(gva.option("network.ping-timeout") == nil)
        #expect(volumes[0].option("network.ping-timeout") == "5")
    }

    @Test func distributedReplicateHasTwoSets() throws {
        let volume = try one("volume-info-distributed-replicate")
        #expect(volume.type == "Distributed-Replicate")
        #expect(volume.brickCount == 6)
        #expect(volume.distributeCount == 2)
        #expect(
            volume.sets.map { $0.map(\.address.description) } == [
                ["n1:\(root)/gvd-a", "n2:\(root)/gvd-a", "n3:\(root)/gvd-a"],
                ["n1:\(root)/gvd-b", "n2:\(root)/gvd-b", "n3:\(root)/gvd-b"],
            ])
    }

    @Test func plainDistributeAndReplica2() throws {
        let distribute = try one("volume-info-distribute")
        #expect(distribute.type == "Distribute")
        #expect(distribute.replicaCount == 1 && distribute.distributeCount == 2)
        #expect(distribute.sets.count == 2 && distribute.setSize == 1)
        let replica2 = try one("volume-info-replica2")
        #expect(replica2.type == "Replicate")
        #expect(replica2.replicaCount == 2 && replica2.sets.count == 1)
    }

    @Test func aRefusedInfoStillHasAnEmptyList() throws {
        // `volume info nosuchvol` answers opRet -1 *and* an empty <volInfo>: check opRet first.
        let envelope = try Fixture.envelope("fail-volume-info-missing")
        #expect(!envelope.succeeded)
        #expect(try VolumeInfo.list(from: envelope).isEmpty)
    }

    @Test func jsonShapeIsStable() throws {
        let volume = try one("volume-info-created")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try #require(JSONSerialization.jsonObject(with: encoder.encode(volume)) as? [String: Any])
        #expect(
            object.keys.sorted() == [
                "arbiterCount", "brickCount", "bricks", "disperseCount", "distributeCount", "id", "name", "options",
                "redundancyCount", "replicaCount", "status", "transport", "type",
            ])
        #expect(object["status"] as? String == "created")
        let brick = try #require((object["bricks"] as? [[String: Any]])?.first)
        #expect(brick["address"] as? String == "n1:\(root)/gv0")
        #expect(brick["hostUuid"] as? String == "10166b89-381a-403d-bf41-03107b526174")
        #expect(brick["isArbiter"] as? Bool == false)
        let option = try #require((object["options"] as? [[String: Any]])?.first)
        #expect(option["key"] as? String == "cluster.granular-entry-heal" && option["value"] as? String == "on")
        #expect(try JSONDecoder().decode(VolumeInfo.self, from: encoder.encode(volume)) == volume)
    }
}
