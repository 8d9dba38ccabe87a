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
    @NullWhenAbsent private var partitionTable: PartitionTable?
    @NullWhenAbsent private var signature: Signature?
    private let ambiguousSignature: Bool
    @NullWhenAbsent private var signatureAtPartitionStart: Signature?
    @NullWhenAbsent private var probeError: String?
    private let mountPoints: [String]
    private let holdsRootFilesystem: Bool
    private let swapInUse: Bool
    private let holders: [String]
    private let fstab: [FstabReference]
    private let exclusiveOpen: String
    @NullWhenAbsent private var brick: Brick?
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
        partitionTable = d.partitionTable
        signature = d.signature
        ambiguousSignature = d.ambiguousSignature
        signatureAtPartitionStart = d.signatureAtPartitionStart
        probeError = d.probeError
        mountPoints = d.mountPoints
        holdsRootFilesystem = d.holdsRootFilesystem
        swapInUse = d.swapInUse
        holders = d.holders
        fstab = d.fstabReferences
        exclusiveOpen = Self.exclusiveOpenText(d.exclusiveOpen)
        brick = d.brick
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
