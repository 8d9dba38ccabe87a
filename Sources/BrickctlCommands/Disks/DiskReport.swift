import BlockDevices
import HostIO

/// The stable JSON shape of `brickctl disks --json` (documented in README.md): every key always
/// present, `null` where there is nothing.
struct DiskReport: Encodable {
    var device: BlockDevice
    var availability: Availability
    var partitions: [DiskReport]

    // The JSON fields (CodingKeys): the device's, renamed where the documented shape says so.
    private let path: String
    private let name: String
    private let majMin: DeviceNumber
    private let type: String
    private let size: UInt64
    private let logicalSectorSize: Int
    private let physicalSectorSize: Int
    private let rotational: Bool
    private let removable: Bool
    private let readOnly: Bool
    @NullWhenAbsent private var model: String?
    @NullWhenAbsent private var serial: String?
    @NullWhenAbsent private var backingFile: String?
    @NullWhenAbsent private var parent: String?
    @NullWhenAbsent private var partitionNumber: Int?
    @NullWhenAbsent private var partitionTable: TableJSON?
    @NullWhenAbsent private var signature: SignatureJSON?
    private let ambiguousSignature: Bool
    @NullWhenAbsent private var signatureAtPartitionStart: SignatureJSON?
    @NullWhenAbsent private var probeError: String?
    private let mountPoints: [String]
    private let holdsRootFilesystem: Bool
    private let swapInUse: Bool
    private let holders: [String]
    private let fstab: [FstabReference]
    private let exclusiveOpen: String
    @NullWhenAbsent private var brick: BrickJSON?
    private let available: Bool
    private let reasons: [ReasonJSON]

    init(_ device: BlockDevice, rules: AvailabilityRules) {
        let d = device
        self.device = device
        self.availability = rules.evaluate(device)
        self.partitions = device.partitions.map { DiskReport($0, rules: rules) }
        path = d.path
        name = d.name
        majMin = d.number
        type = d.kind.rawValue
        size = d.size
        logicalSectorSize = d.logicalSectorSize
        physicalSectorSize = d.physicalSectorSize
        rotational = d.rotational
        removable = d.removable
        readOnly = d.readOnly
        model = d.model
        serial = d.serial
        backingFile = d.backingFile
        parent = d.parent
        partitionNumber = d.partitionNumber
        partitionTable = d.partitionTable.map(TableJSON.init)
        signature = d.signature.map(SignatureJSON.init)
        ambiguousSignature = d.ambiguousSignature
        signatureAtPartitionStart = d.signatureAtPartitionStart.map(SignatureJSON.init)
        probeError = d.probeError
        mountPoints = d.mountPoints
        holdsRootFilesystem = d.holdsRootFilesystem
        swapInUse = d.swapInUse
        holders = d.holders
        fstab = d.fstabReferences
        exclusiveOpen = Self.exclusiveOpenText(d.exclusiveOpen)
        brick = d.brick.map(BrickJSON.init)
        available = availability.available
        reasons = availability.reasons.map {
            ReasonJSON(code: $0.code.rawValue, message: $0.commandLineMessage(for: d))
        }
    }

    private enum CodingKeys: String, CodingKey {
        case path, name, majMin, type, size, logicalSectorSize, physicalSectorSize, rotational, removable,
            readOnly, model, serial, backingFile, parent, partitionNumber, partitionTable, signature,
            ambiguousSignature, signatureAtPartitionStart, probeError, mountPoints, holdsRootFilesystem,
            swapInUse, holders, fstab, exclusiveOpen, brick, available, reasons, partitions
    }

    private static func exclusiveOpenText(_ result: BlockDevice.ExclusiveOpen) -> String {
        switch result {
        case .succeeded: return "ok"
        case .busy: return "busy"
        case .failed(let error): return "failed: \(error)"
        case .notTried: return "not-tried"
        }
    }
}

private struct ReasonJSON: Encodable {
    var code: String
    var message: String
}

private struct SignatureJSON: Encodable {
    var type: String
    var usage: String
    @NullWhenAbsent var uuid: String?
    @NullWhenAbsent var label: String?
    var offset: UInt64

    init(_ s: Signature) {
        type = s.type
        usage = s.usage
        uuid = s.uuid
        label = s.label
        offset = s.offset
    }
}

private struct TableJSON: Encodable {
    var type: String
    @NullWhenAbsent var id: String?
    var partitions: [Entry]

    struct Entry: Encodable {
        var number: Int
        var start: UInt64
        var size: UInt64
        @NullWhenAbsent var type: String?
        @NullWhenAbsent var name: String?
        @NullWhenAbsent var uuid: String?
        @NullWhenAbsent var device: String?
        @NullWhenAbsent var signature: SignatureJSON?
    }

    init(_ table: PartitionTable) {
        type = table.type
        id = table.id
        partitions = table.partitions.map {
            Entry(
                number: $0.number, start: $0.start, size: $0.size, type: $0.type, name: $0.name, uuid: $0.uuid,
                device: $0.device, signature: $0.signature.map(SignatureJSON.init))
        }
    }
}

private struct BrickJSON: Encodable {
    @NullWhenAbsent var partition: String?
    var partitionNumber: Int
    @NullWhenAbsent var label: String?
    @NullWhenAbsent var uuid: String?
    @NullWhenAbsent var mountPoint: String?
    @NullWhenAbsent var fstabMountPoint: String?
    @NullWhenAbsent var brickDirectory: String?

    init(_ brick: Brick) {
        partition = brick.partition
        partitionNumber = brick.partitionNumber
        label = brick.label
        uuid = brick.uuid
        mountPoint = brick.mountPoint
        fstabMountPoint = brick.fstabMountPoint
        brickDirectory = brick.brickDirectory
    }
}
