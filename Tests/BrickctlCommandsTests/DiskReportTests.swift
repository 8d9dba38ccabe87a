import BrickctlTestSupport
import Foundation
import Testing

@testable import BlockDevices
@testable import BrickctlCommands

/// `disks --json` keeps every key, `null` where there is nothing: also inside the signature, the
/// partition table and its entries, and the brick (encoded from the domain values themselves).
@Suite(.offCooperativePool) struct DiskReportTests {
    @Test func absentValuesAreNullAtEveryLevel() throws {
        let device = BlockDevice(
            path: "/dev/vdb", name: "vdb", number: DeviceNumber(major: 254, minor: 16), kind: .disk, size: 8 << 30,
            partitionTable: PartitionTable(
                type: "gpt", partitions: [PartitionTable.Entry(number: 1, start: 1 << 20, size: 1 << 30)]),
            signature: Signature(type: "xfs", usage: "filesystem"),
            brick: Brick(partitionNumber: 1))
        let json = try JSONOutput.encode(DiskReport(device, rules: AvailabilityRules()))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["signatureAtPartitionStart"] is NSNull && object["model"] is NSNull)

        let signature = try #require(object["signature"] as? [String: Any])
        #expect(Set(signature.keys) == ["type", "usage", "uuid", "label", "offset"])
        #expect(signature["uuid"] is NSNull && signature["label"] is NSNull && signature["type"] as? String == "xfs")

        let table = try #require(object["partitionTable"] as? [String: Any])
        #expect(Set(table.keys) == ["type", "id", "partitions"] && table["id"] is NSNull)
        let entry = try #require((table["partitions"] as? [[String: Any]])?.first)
        #expect(Set(entry.keys) == ["number", "start", "size", "type", "name", "uuid", "device", "signature"])
        for key in ["type", "name", "uuid", "device", "signature"] { #expect(entry[key] is NSNull, "\(key)") }

        let brick = try #require(object["brick"] as? [String: Any])
        let absent = ["partition", "label", "uuid", "mountPoint", "fstabMountPoint", "brickDirectory"]
        #expect(Set(brick.keys) == Set(absent + ["partitionNumber"]) && brick["partitionNumber"] as? Int == 1)
        for key in absent { #expect(brick[key] is NSNull, "\(key)") }
    }
}
