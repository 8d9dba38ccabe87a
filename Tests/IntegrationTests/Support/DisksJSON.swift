import Foundation

/// The documented shape of `brickctl disks --json`, decoded strictly: a missing key fails the test.
struct DisksJSON: Decodable {
    var devices: [Device]

    struct Device: Decodable {
        var path: String
        var name: String
        var majMin: String
        var type: String
        var size: UInt64
        var logicalSectorSize: Int
        var physicalSectorSize: Int
        var rotational: Bool
        var removable: Bool
        var readOnly: Bool
        var model: String?
        var serial: String?
        var backingFile: String?
        var partitionTable: Table?
        var signature: Signature?
        var ambiguousSignature: Bool
        var signatureAtPartitionStart: Signature?
        var probeError: String?
        var mountPoints: [String]
        var holdsRootFilesystem: Bool
        var swapInUse: Bool
        var holders: [String]
        var fstab: [FstabRef]
        var exclusiveOpen: String
        var brick: Brick?
        var available: Bool
        var reasons: [Reason]
        var partitions: [Device]

        var codes: [String] { reasons.map(\.code) }
        var messages: [String] { reasons.map(\.message) }
    }

    struct Signature: Decodable {
        var type: String
        var usage: String
        var uuid: String?
        var label: String?
        var offset: UInt64
    }

    struct Table: Decodable {
        var type: String
        var id: String?
        var partitions: [Entry]
    }

    struct Entry: Decodable {
        var number: Int
        var start: UInt64
        var size: UInt64
        var type: String?
        var name: String?
        var uuid: String?
        var device: String?
        var signature: Signature?
    }

    struct FstabRef: Decodable {
        var spec: String
        var mountPoint: String
        var type: String
    }

    struct Brick: Decodable {
        var partition: String?
        var partitionNumber: Int
        var label: String?
        var uuid: String?
        var mountPoint: String?
        var fstabMountPoint: String?
        var brickDirectory: String?
    }

    struct Reason: Decodable {
        var code: String
        var message: String
    }

    static func decode(_ text: String) throws -> DisksJSON {
        try JSONDecoder().decode(DisksJSON.self, from: Data(text.utf8))
    }
}
