internal import CBlkid
import HostIO

/// Owns one libblkid low-level probe on an open file descriptor (optionally a byte range of it).
///
/// The only place brickctl touches `blkid_probe`; `deinit` frees it. The descriptor stays the
/// caller's. The corresponding C functions are `blkid_new_probe`, `blkid_probe_set_device`,
/// `blkid_do_safeprobe`, `blkid_free_probe`.
public final class BlkidProbe {
    private let probe: blkid_probe
    /// Where the probed range starts inside the device, in bytes.
    public let offset: UInt64

    /// The result of one probe run.
    public enum Outcome<Value> {
        case nothing
        case found(Value)
        /// Several signatures that contradict each other were found (`blkid_do_safeprobe` = -2).
        case ambiguous
    }

    /// Prepares a probe of `fd` from `offset` for `size` bytes (0 = to the end).
    ///
    /// - Throws: `SystemError` when libblkid cannot use the descriptor.
    public init(fileDescriptor fd: Int32, offset: UInt64 = 0, size: UInt64 = 0) throws {
        guard let probe = blkid_new_probe() else { throw SystemError.last("allocate a libblkid probe") }
        guard blkid_probe_set_device(probe, fd, blkid_loff_t(offset), blkid_loff_t(size)) == 0 else {
            let error = SystemError.last("probe the device with libblkid")
            blkid_free_probe(probe)
            throw error
        }
        self.probe = probe
        self.offset = offset
    }

    deinit {
        blkid_free_probe(probe)
    }

    /// What one combined probe (superblocks and partition table, as `blkid -p` does) found.
    public struct Identification {
        public var signature: Signature?
        public var table: PartitionTable?
        /// Several signatures that contradict each other (`blkid_do_safeprobe` = -2).
        public var ambiguous: Bool
    }

    /// Probes superblocks and the partition table in one pass over one buffer cache.
    ///
    /// - Throws: `SystemError` when reading the device fails.
    public func identify() throws -> Identification {
        blkid_probe_enable_superblocks(probe, 1)
        blkid_probe_set_superblocks_flags(
            probe, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE)
        blkid_probe_enable_partitions(probe, 1)
        blkid_probe_set_partitions_flags(probe, BLKID_PARTS_MAGIC | BLKID_PARTS_FORCE_GPT)
        switch blkid_do_safeprobe(probe) {
        case 0:
            var result = Identification(signature: nil, table: nil, ambiguous: false)
            if let type = value("TYPE") {
                result.signature = Signature(
                    type: type, usage: value("USAGE") ?? "other", uuid: value("UUID"), label: value("LABEL"),
                    offset: offset)
            }
            if value("PTTYPE") != nil { result.table = readPartitionList() }
            return result
        case 1: return Identification(signature: nil, table: nil, ambiguous: false)
        case -2: return Identification(signature: nil, table: nil, ambiguous: true)
        default: throw SystemError.last("probe the device")
        }
    }

    /// Looks for a filesystem, swap, RAID, LVM or crypto superblock (TYPE, USAGE, UUID, LABEL).
    ///
    /// - Throws: `SystemError` when reading the device fails.
    public func superblock() throws -> Outcome<Signature> {
        blkid_probe_enable_partitions(probe, 0)
        blkid_probe_enable_superblocks(probe, 1)
        blkid_probe_set_superblocks_flags(
            probe, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE)
        switch blkid_do_safeprobe(probe) {
        case 0:
            guard let type = value("TYPE") else { return .nothing }
            return .found(
                Signature(
                    type: type, usage: value("USAGE") ?? "other", uuid: value("UUID"), label: value("LABEL"),
                    offset: offset))
        case 1: return .nothing
        case -2: return .ambiguous
        default: throw SystemError.last("probe superblocks")
        }
    }

    /// The partition list of the last probe, with byte offsets.
    private func readPartitionList() -> PartitionTable? {
        guard let list = blkid_probe_get_partitions(probe) else {
            // A table magic without a parsable list: report the type alone.
            return value("PTTYPE").map { PartitionTable(type: $0, id: value("PTUUID")) }
        }
        let root = blkid_partlist_get_table(list)
        let type =
            root.flatMap { blkid_parttable_get_type($0) }.map { String(cString: $0) } ?? value("PTTYPE") ?? "unknown"
        let id = root.flatMap { blkid_parttable_get_id($0) }.map { String(cString: $0) }
        var entries: [PartitionTable.Entry] = []
        for index in 0..<max(0, blkid_partlist_numof_partitions(list)) {
            guard let part = blkid_partlist_get_partition(list, index) else { continue }
            let typeString = blkid_partition_get_type_string(part).map { String(cString: $0) }
            let typeCode = blkid_partition_get_type(part)
            entries.append(
                PartitionTable.Entry(
                    number: Int(blkid_partition_get_partno(part)),
                    start: UInt64(max(0, blkid_partition_get_start(part))) * 512,
                    size: UInt64(max(0, blkid_partition_get_size(part))) * 512,
                    type: typeString ?? (typeCode != 0 ? "0x" + String(typeCode, radix: 16) : nil),
                    name: blkid_partition_get_name(part).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 },
                    uuid: blkid_partition_get_uuid(part).map { String(cString: $0) }
                ))
        }
        return PartitionTable(type: type, id: id ?? value("PTUUID"), partitions: entries)
    }

    /// Erases every signature libblkid finds (superblocks and partition tables, including GPT's
    /// backup header), one `blkid_do_wipe` per signature, until none is left.
    ///
    /// - Returns: what was erased, as "TYPE at OFFSET" strings.
    /// - Throws: `SystemError` when a wipe fails.
    public func wipeAll() throws -> [String] {
        blkid_probe_enable_superblocks(probe, 1)
        blkid_probe_set_superblocks_flags(probe, BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_TYPE | BLKID_SUBLKS_BADCSUM)
        blkid_probe_enable_partitions(probe, 1)
        blkid_probe_set_partitions_flags(probe, BLKID_PARTS_MAGIC | BLKID_PARTS_FORCE_GPT)
        var erased: [String] = []
        while blkid_do_probe(probe) == 0 {
            let what = value("TYPE") ?? value("PTTYPE") ?? "signature"
            let at = value("SBMAGIC_OFFSET") ?? value("PTMAGIC_OFFSET") ?? "?"
            guard blkid_do_wipe(probe, 0) == 0 else {
                throw SystemError.last("wipe the \(what) signature at offset \(at)")
            }
            erased.append("\(what) at offset \(at)")
        }
        return erased
    }

    private func value(_ name: String) -> String? {
        var data: UnsafePointer<CChar>?
        var length = 0
        guard blkid_probe_lookup_value(probe, name, &data, &length) == 0, let data else { return nil }
        let text = String(cString: data)
        return text.isEmpty ? nil : text
    }
}
