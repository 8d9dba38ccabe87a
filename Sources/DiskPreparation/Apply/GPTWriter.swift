internal import CFdisk
import Glibc
import HostIO

/// Writes a new GPT with one partition through libfdisk, on a descriptor the caller owns.
///
/// The only place brickctl touches `fdisk_context`; `deinit` releases it. The table is written
/// without asking the kernel to re-read it (BLKRRPART would *remove* partitions on kernels without
/// partition parsers): `KernelPartitions` adds the partition with BLKPG afterwards.
/// The corresponding C functions are `fdisk_new_context`, `fdisk_assign_device_by_fd`,
/// `fdisk_create_disklabel`, `fdisk_add_partition`, `fdisk_write_disklabel`.
final class GPTWriter {
    private let context: OpaquePointer
    private let messages = MessageBox()

    /// The Linux filesystem data partition type.
    static let linuxFilesystemType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4"

    /// A partition as written: byte offsets.
    struct Written: Equatable {
        var number: Int
        var start: UInt64
        var size: UInt64
        var diskID: String?
    }

    /// Attaches libfdisk to `fd` (opened read-write by the caller), in script mode.
    ///
    /// - Throws: `PrepareError` (`.partitioning`) when libfdisk cannot read the device.
    init(fileDescriptor fd: Int32, path: String) throws {
        guard let context = fdisk_new_context() else {
            throw PrepareError(.partitioning, "cannot allocate a libfdisk context")
        }
        self.context = context
        let box = Unmanaged.passUnretained(messages).toOpaque()
        fdisk_set_ask(
            context,
            { _, ask, data in
                guard let ask, let data else { return 0 }
                let box = Unmanaged<MessageBox>.fromOpaque(data).takeUnretainedValue()
                let type = fdisk_ask_get_type(ask)
                if type == Int32(FDISK_ASKTYPE_WARN.rawValue) || type == Int32(FDISK_ASKTYPE_WARNX.rawValue)
                    || type == Int32(FDISK_ASKTYPE_INFO.rawValue), let text = fdisk_ask_print_get_mesg(ask)
                {
                    box.lines.append(String(cString: text))
                }
                return 0
            }, box)
        fdisk_disable_dialogs(context, 1)
        let rc = fdisk_assign_device_by_fd(context, fd, path, 0)
        guard rc == 0 else {
            throw PrepareError(.partitioning, "libfdisk cannot open \(path)", cause: .errno(errnoCode(rc)))
        }
    }

    deinit {
        // nosync = 1: no BLKRRPART. The descriptor stays open: it is the caller's.
        fdisk_deassign_device(context, 1)
        fdisk_unref_context(context)
    }

    /// Creates a GPT with one partition from byte `start` (aligned) to the end and writes it to disk.
    ///
    /// - Throws: `PrepareError` (`.partitioning`) with libfdisk's message.
    func writeSinglePartition(name: String, start: UInt64) throws -> Written {
        try check(fdisk_create_disklabel(context, "gpt"), "create a GPT label")
        let sectorSize = UInt64(fdisk_get_sector_size(context))
        guard let partition = fdisk_new_partition() else {
            throw PrepareError(.partitioning, "cannot allocate a partition")
        }
        defer { fdisk_unref_partition(partition) }
        try check(fdisk_partition_set_start(partition, start / sectorSize), "set the partition start")
        try check(fdisk_partition_end_follow_default(partition, 1), "extend the partition to the end")
        try check(fdisk_partition_set_partno(partition, 0), "number the partition")
        try check(fdisk_partition_set_name(partition, name), "name the partition")
        let label = fdisk_get_label(context, nil)
        guard let type = fdisk_label_get_parttype_from_string(label, Self.linuxFilesystemType) else {
            throw PrepareError(.partitioning, "libfdisk does not know the Linux filesystem partition type")
        }
        fdisk_partition_set_type(partition, type)
        var number = 0
        try check(fdisk_add_partition(context, partition, &number), "add the partition")
        // Zero what a previous filesystem left inside the new partition's range when the table is written.
        fdisk_wipe_partition(context, number, 1)
        try check(fdisk_write_disklabel(context), "write the partition table")

        var written: OpaquePointer?
        try check(fdisk_get_partition(context, number, &written), "read back the partition")
        defer { fdisk_unref_partition(written) }
        var id: UnsafeMutablePointer<CChar>?
        fdisk_get_disklabel_id(context, &id)
        defer { free(id) }
        return Written(
            number: number + 1,
            start: UInt64(fdisk_partition_get_start(written)) * sectorSize,
            size: UInt64(fdisk_partition_get_size(written)) * sectorSize,
            diskID: id.map { String(cString: $0) })
    }

    private func check(_ rc: Int32, _ what: String) throws {
        guard rc >= 0 else {
            let detail = messages.lines.isEmpty ? "" : " (\(messages.lines.joined(separator: "; ")))"
            throw PrepareError(.partitioning, "cannot \(what)", cause: .output(errorText(rc) + detail))
        }
    }
}

private final class MessageBox {
    var lines: [String] = []
}

/// libfdisk returns `-errno`.
private func errnoCode(_ rc: Int32) -> Int32 {
    rc < 0 ? -rc : rc
}

private func errorText(_ rc: Int32) -> String {
    String(cString: strerror(errnoCode(rc)))
}
