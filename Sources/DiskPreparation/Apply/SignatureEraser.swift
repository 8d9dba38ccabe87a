import BlockDevices

/// Erases every signature libblkid finds on a disk, so nothing old can come back.
///
/// In this order: what the kernel's partitions hold (through their nodes), what the on-disk
/// table's partitions hold (through the disk at their offsets: this kernel may have no nodes),
/// the range where a new partition would start (an old filesystem survives a wiped table there),
/// then the table (GPT with its backup, PMBR) and the disk's own signatures.
enum SignatureEraser {
    /// - Parameter disk: the disk, opened read-write (and exclusively) by the caller.
    /// - Returns: what was erased, as "where: TYPE at offset N".
    /// - Throws: `SystemError` when a wipe fails.
    static func eraseAll(on device: BlockDevice, disk: DeviceNode, partitionStart: UInt64) throws -> [String] {
        var erased: [String] = []
        for part in device.partitions {
            let node = try DeviceNode(path: part.path, writable: true)
            erased += try BlkidProbe(fileDescriptor: node.fileDescriptor).wipeAll().map { "\(part.name): \($0)" }
        }
        // Writes through the partitions' nodes are not in the disk's page cache.
        disk.dropCache()
        for entry in device.partitionTable?.partitions ?? [] {
            erased += try BlkidProbe(fileDescriptor: disk.fileDescriptor, offset: entry.start, size: entry.size)
                .wipeAll().map { "partition \(entry.number): \($0)" }
        }
        if device.size > partitionStart {
            erased += try BlkidProbe(
                fileDescriptor: disk.fileDescriptor, offset: partitionStart, size: device.size - partitionStart
            )
            .wipeAll().map { "at \(ByteCount(partitionStart)): \($0)" }
        }
        erased += try BlkidProbe(fileDescriptor: disk.fileDescriptor).wipeAll()
        return erased
    }
}
