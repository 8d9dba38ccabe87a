import BlockDevices

/// The stable JSON shape of `brickctl disks --json` (documented in README.md): every key always
/// present, `null` where there is nothing.
struct DiskReport: Encodable {
    var device: BlockDevice
    var availability: Availability
    var partitions: [DiskReport]

    init(_ device: BlockDevice, rules: AvailabilityRules) {
        self.device = device
        self.availability = rules.evaluate(device)
        self.partitions = device.partitions.map { DiskReport($0, rules: rules) }
    }

    enum Key: String, CodingKey {
        case path, name, majMin, type, size, logicalSectorSize, physicalSectorSize, rotational, removable,
            readOnly, model, serial, backingFile, parent, partitionNumber, partitionTable, signature,
            ambiguousSignature, signatureAtPartitionStart, probeError, mountPoints, holdsRootFilesystem,
            swapInUse, holders, fstab, exclusiveOpen, brick, available, reasons, partitions
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let d = device
        try c.encode(d.path, forKey: .path)
        try c.encode(d.name, forKey: .name)
        try c.encode(d.number, forKey: .majMin)
        try c.encode(d.kind.rawValue, forKey: .type)
        try c.encode(d.size, forKey: .size)
        try c.encode(d.logicalSectorSize, forKey: .logicalSectorSize)
        try c.encode(d.physicalSectorSize, forKey: .physicalSectorSize)
        try c.encode(d.rotational, forKey: .rotational)
        try c.encode(d.removable, forKey: .removable)
        try c.encode(d.readOnly, forKey: .readOnly)
        try c.encode(d.model, forKey: .model)
        try c.encode(d.serial, forKey: .serial)
        try c.encode(d.backingFile, forKey: .backingFile)
        try c.encode(d.parent, forKey: .parent)
        try c.encode(d.partitionNumber, forKey: .partitionNumber)
        try c.encode(d.partitionTable.map(TableJSON.init), forKey: .partitionTable)
        try c.encode(d.signature.map(SignatureJSON.init), forKey: .signature)
        try c.encode(d.ambiguousSignature, forKey: .ambiguousSignature)
        try c.encode(d.signatureAtPartitionStart.map(SignatureJSON.init), forKey: .signatureAtPartitionStart)
        try c.encode(d.probeError, forKey: .probeError)
        try c.encode(d.mountPoints, forKey: .mountPoints)
        try c.encode(d.holdsRootFilesystem, forKey: .holdsRootFilesystem)
        try c.encode(d.swapInUse, forKey: .swapInUse)
        try c.encode(d.holders, forKey: .holders)
        try c.encode(d.fstabReferences, forKey: .fstab)
        try c.encode(exclusiveOpenText, forKey: .exclusiveOpen)
        try c.encode(d.brick.map(BrickJSON.init), forKey: .brick)
        try c.encode(availability.available, forKey: .available)
        try c.encode(availability.reasons.map { ReasonJSON(code: $0.code.rawValue, message: $0.message) }, forKey: .reasons)
        try c.encode(partitions, forKey: .partitions)
    }

    private var exclusiveOpenText: String {
        switch device.exclusiveOpen {
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
    var uuid: String?
    var label: String?
    var offset: UInt64

    init(_ s: Signature) {
        type = s.type
        usage = s.usage
        uuid = s.uuid
        label = s.label
        offset = s.offset
    }

    enum Key: String, CodingKey { case type, usage, uuid, label, offset }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(type, forKey: .type)
        try c.encode(usage, forKey: .usage)
        try c.encode(uuid, forKey: .uuid)
        try c.encode(label, forKey: .label)
        try c.encode(offset, forKey: .offset)
    }
}

private struct TableJSON: Encodable {
    var table: PartitionTable
    init(_ table: PartitionTable) { self.table = table }

    enum Key: String, CodingKey { case type, id, partitions }
    enum EntryKey: String, CodingKey { case number, start, size, type, name, uuid, device, signature }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(table.type, forKey: .type)
        try c.encode(table.id, forKey: .id)
        var list = c.nestedUnkeyedContainer(forKey: .partitions)
        for entry in table.partitions {
            var e = list.nestedContainer(keyedBy: EntryKey.self)
            try e.encode(entry.number, forKey: .number)
            try e.encode(entry.start, forKey: .start)
            try e.encode(entry.size, forKey: .size)
            try e.encode(entry.type, forKey: .type)
            try e.encode(entry.name, forKey: .name)
            try e.encode(entry.uuid, forKey: .uuid)
            try e.encode(entry.device, forKey: .device)
            try e.encode(entry.signature.map(SignatureJSON.init), forKey: .signature)
        }
    }
}

private struct BrickJSON: Encodable {
    var brick: Brick
    init(_ brick: Brick) { self.brick = brick }

    enum Key: String, CodingKey { case partition, partitionNumber, label, uuid, mountPoint, fstabMountPoint, brickDirectory }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(brick.partition, forKey: .partition)
        try c.encode(brick.partitionNumber, forKey: .partitionNumber)
        try c.encode(brick.label, forKey: .label)
        try c.encode(brick.uuid, forKey: .uuid)
        try c.encode(brick.mountPoint, forKey: .mountPoint)
        try c.encode(brick.fstabMountPoint, forKey: .fstabMountPoint)
        try c.encode(brick.brickDirectory, forKey: .brickDirectory)
    }
}
