/// Decides whether a device may become a brick, from an observed `BlockDevice` alone (no I/O).
///
/// Every rule that applies contributes a reason; a device is available only when none does.
public struct AvailabilityRules: Sendable {
    /// Disks smaller than this are refused (a brick this small is a mistake, and mkfs.xfs needs 300 MiB).
    public var minimumSize: UInt64
    /// The fstab path named in messages.
    public var fstabPath: String

    public static let gibibyte: UInt64 = 1 << 30

    public init(minimumSize: UInt64 = AvailabilityRules.gibibyte, fstabPath: String = "/etc/fstab") {
        self.minimumSize = minimumSize
        self.fstabPath = fstabPath
    }

    public func evaluate(_ device: BlockDevice) -> Availability {
        typealias R = Availability.Reason
        var reasons: [R] = []

        if device.holdsRootFilesystem {
            reasons.append(R(.rootFilesystem, "holds the root filesystem"))
        }
        if let brick = device.brick {
            reasons.append(R(.brick, brickPhrase(brick)))
        }
        if device.kind == .partition {
            let parent = device.parent.map { " of \($0)" } ?? ""
            reasons.append(R(.isPartition, "is a partition\(parent): brickctl prepares whole disks"))
        }
        for mountPoint in device.mountPoints {
            reasons.append(R(.mounted, "mounted at \(mountPoint)"))
        }
        var partitionInUse = false
        for part in device.partitions {
            for mountPoint in part.mountPoints {
                reasons.append(R(.partitionInUse, "partition \(part.name) is mounted at \(mountPoint)"))
                partitionInUse = true
            }
            if part.swapInUse {
                reasons.append(R(.partitionInUse, "partition \(part.name) is swap in use"))
                partitionInUse = true
            }
            if !part.holders.isEmpty {
                reasons.append(
                    R(.partitionInUse, "partition \(part.name) is held by \(part.holders.joined(separator: ", "))"))
                partitionInUse = true
            }
        }
        if device.swapInUse {
            reasons.append(R(.swapInUse, "swap in use"))
        }
        if !device.holders.isEmpty {
            reasons.append(
                R(.holders, "held by \(device.holders.joined(separator: ", ")) (device mapper, LVM or RAID)"))
        }
        switch device.exclusiveOpen {
        case .busy:
            // A mount, swap or holder already explains why the exclusive open failed.
            let explained = !device.mountPoints.isEmpty || device.swapInUse || !device.holders.isEmpty || partitionInUse
            if !explained {
                reasons.append(R(.busy, "in use by another process (exclusive open failed)"))
            }
        case .failed(let error):
            reasons.append(R(.unreadable, "cannot be opened (\(error))"))
        case .succeeded, .notTried:
            if let probeError = device.probeError {
                reasons.append(R(.unreadable, "cannot be probed (\(probeError))"))
            }
        }
        if device.readOnly {
            reasons.append(R(.readOnly, "read-only"))
        }
        if device.removable {
            reasons.append(R(.removable, "removable"))
        }
        if device.kind == .partition {
            // Size rules are for disks: a partition is refused as a partition already.
        } else if device.size == 0 {
            reasons.append(R(.noMedia, "has no media (size 0)"))
        } else if device.size < minimumSize {
            reasons.append(R(.tooSmall, "smaller than \(ByteCount(minimumSize)) (\(ByteCount(device.size)))"))
        }
        if let table = device.partitionTable {
            let n = table.partitions.count
            reasons.append(
                R(.partitionTable, "has a \(table.type) partition table with \(n) partition\(n == 1 ? "" : "s")"))
        } else if !device.partitions.isEmpty {
            let names = device.partitions.map(\.name).joined(separator: ", ")
            reasons.append(R(.kernelPartitions, "the kernel has partitions \(names) but no table is on disk"))
        }
        if let signature = device.signature {
            reasons.append(R(.signature, "holds \(signature.phrase)"))
        }
        if device.ambiguousSignature {
            reasons.append(R(.ambiguousSignature, "holds several conflicting signatures (libblkid could not decide)"))
        }
        if let old = device.signatureAtPartitionStart {
            let at = old.offset == 1 << 20 ? "the 1 MiB offset" : "offset \(old.offset)"
            reasons.append(R(.signatureAtPartitionStart, "\(old.phrase(qualifier: "old")) survives at \(at)"))
        }
        for reference in device.fstabReferences {
            reasons.append(R(.fstab, "listed in \(fstabPath) (\(reference.spec) on \(reference.mountPoint))"))
        }
        return Availability(reasons: reasons)
    }

    private func brickPhrase(_ brick: Brick) -> String {
        let label = brick.label.map { " \($0)" } ?? ""
        if let mountPoint = brick.mountPoint {
            return "is brickctl brick\(label), mounted at \(mountPoint)"
        }
        if let fstabMountPoint = brick.fstabMountPoint {
            return "is brickctl brick\(label), not mounted (fstab: \(fstabMountPoint))"
        }
        return "is brickctl brick\(label), not mounted and not in fstab"
    }
}
