public import BlockDevices

/// The decision `brickctl prepare` takes from what it observed, before it writes anything.
///
/// Pure: computed from a `BlockDevice`, its `Availability`, `HostFacts` and the request. Because the
/// steps are derived from the disk's current state, a run interrupted after any step is completed
/// by the next run, and a run on a finished brick has nothing to do.
public struct PreparePlan: Hashable, Sendable {
    public var device: String
    public var label: String
    public var mountPoint: String
    public var brickDirectory: String
    public var steps: [PrepareStep]
    /// The disk already holds a brickctl brick (this run resumes or has nothing to do).
    public var resuming: Bool

    public var isNoOp: Bool { steps.isEmpty }

    /// Plans `request` for `device`, or throws `PrepareRefusal` saying why not and what to do.
    public static func make(
        request: PrepareRequest, device: BlockDevice, availability: Availability, facts: HostFacts
    ) throws(PrepareRefusal) -> PreparePlan {
        let convention = request.convention
        if device.kind == .partition {
            throw PrepareRefusal(
                device: device.path, obstacle: .partition, reasons: availability.reasons.map(\.message),
                hint: "give the whole disk\(device.parent.map { " (/dev/\($0))" } ?? "")")
        }
        if let ours = ownPartition(device, convention: convention) {
            return try resume(request: request, device: device, entry: ours, availability: availability, facts: facts)
        }

        // A disk that is not ours: every reason counts; --wipe overrides only what it may destroy.
        let blocking = availability.reasons.filter { !$0.wipeable }
        let wipeable = availability.reasons.filter(\.wipeable)
        if !blocking.isEmpty {
            throw PrepareRefusal(
                device: device.path, obstacle: .unavailable(Set(blocking.map(\.code))),
                reasons: availability.reasons.map(\.message),
                hint: blocking.contains { $0.code == .rootFilesystem }
                    ? "this is the system disk: brickctl never touches it" : nil)
        }
        if !wipeable.isEmpty && !request.wipe {
            throw PrepareRefusal(
                device: device.path, obstacle: .wipeableSignatures(count: wipeable.count),
                reasons: wipeable.map(\.message))
        }
        let label = try chooseLabel(request: request, facts: facts)
        let mountPoint = try chooseMountPoint(request: request, label: label, facts: facts)
        var steps: [PrepareStep] = []
        if request.wipe && !wipeable.isEmpty { steps.append(.wipeSignatures) }
        if !device.partitions.isEmpty { steps.append(.removeKernelPartitions(device.partitions.map(\.name))) }
        steps += [
            .writePartitionTable(partitionName: convention.partitionName),
            .addKernelPartition,
            .clearPartition,
            .makeFilesystem(label: label, force: request.wipe),
            .addFstabEntry(mountPoint: mountPoint, options: brickMountOptions),
        ]
        if !facts.existingDirectories.contains(mountPoint) { steps.append(.createMountPoint(mountPoint)) }
        steps += [.mount(mountPoint), .createBrickDirectory(convention.brickDirectory(mountPoint: mountPoint))]
        return PreparePlan(
            device: device.path, label: label, mountPoint: mountPoint,
            brickDirectory: convention.brickDirectory(mountPoint: mountPoint), steps: steps, resuming: false)
    }

    /// The single `brickctl-brick` partition of a GPT disk, if this disk is one `prepare` partitioned.
    static func ownPartition(_ device: BlockDevice, convention: BrickConvention) -> PartitionTable.Entry? {
        guard let table = device.partitionTable, table.type == "gpt", table.partitions.count == 1,
            let entry = table.partitions.first, entry.name == convention.partitionName
        else { return nil }
        return entry
    }

    /// Completes a disk brickctl already partitioned, from whatever step it reached.
    private static func resume(
        request: PrepareRequest, device: BlockDevice, entry: PartitionTable.Entry, availability: Availability,
        facts: HostFacts
    ) throws(PrepareRefusal) -> PreparePlan {
        let convention = request.convention
        let ownUUID = entry.signature?.uuid?.lowercased()
        // Reasons that only describe our own brick (its table, its mount, its fstab line) do not block.
        let expected: Set<Availability.Reason.Code> = [
            .brick, .partitionTable, .partitionInUse, .busy, .kernelPartitions,
        ]
        let blocking = availability.reasons.filter { reason in
            if expected.contains(reason.code) { return false }
            if reason.code == .fstab {
                return !device.fstabReferences.allSatisfy { ref in
                    ownUUID.map { ref.spec.lowercased() == "uuid=\($0)" } ?? false
                }
            }
            return true
        }
        if !blocking.isEmpty {
            throw PrepareRefusal(
                device: device.path, obstacle: .unavailable(Set(blocking.map(\.code))),
                reasons: blocking.map(\.message))
        }
        if let signature = entry.signature, signature.type != "xfs" {
            throw PrepareRefusal(
                device: device.path, obstacle: .holdsData,
                reasons: ["its brickctl-brick partition holds \(signature.phrase), not xfs"])
        }
        let kernelPartition = device.partitions.first { $0.partitionNumber == entry.number }
        let kernelMatches = kernelPartition.map { $0.path == entry.device } ?? false
        let mountedAt = kernelPartition?.mountPoints.first

        var steps: [PrepareStep] = []
        let stale = device.partitions.filter { !(kernelMatches && $0.path == entry.device) }
        if !stale.isEmpty { steps.append(.removeKernelPartitions(stale.map(\.name))) }
        if !kernelMatches { steps.append(.addKernelPartition) }

        let label: String
        if let existing = entry.signature?.label {
            label = existing
            if let asked = request.label, asked != existing {
                throw PrepareRefusal(
                    device: device.path, obstacle: .alreadyBrick(label: existing),
                    reasons: ["it is already brick \(existing)"])
            }
        } else if entry.signature != nil {
            label = request.label ?? "(none)"
        } else {
            label = try chooseLabel(request: request, facts: facts)
            steps += [.clearPartition, .makeFilesystem(label: label, force: false)]
        }

        // The mount point: where it is mounted, else where fstab says, else the request or convention.
        let fstabMountPoint = device.brick?.fstabMountPoint
        let mountPoint: String
        if let current = mountedAt ?? fstabMountPoint {
            if let asked = request.mountPoint.map(normalize), asked != current {
                throw PrepareRefusal(
                    device: device.path, obstacle: .alreadySetUp(mountPoint: current),
                    reasons: ["it is already set up at \(current)"])
            }
            mountPoint = current
        } else {
            mountPoint = try chooseMountPoint(request: request, label: label, facts: facts)
        }
        if let mountedAt, let fstabMountPoint, mountedAt != fstabMountPoint {
            throw PrepareRefusal(
                device: device.path, obstacle: .mountedElsewhere,
                reasons: ["it is mounted at \(mountedAt) but fstab mounts it at \(fstabMountPoint)"],
                hint: "unmount it, or fix fstab, then run prepare again")
        }
        if fstabMountPoint == nil {
            steps.append(.addFstabEntry(mountPoint: mountPoint, options: brickMountOptions))
        }
        if mountedAt == nil {
            if !facts.existingDirectories.contains(mountPoint) { steps.append(.createMountPoint(mountPoint)) }
            steps.append(.mount(mountPoint))
        }
        let brickDirectory = convention.brickDirectory(mountPoint: mountPoint)
        if mountedAt == nil || !facts.existingDirectories.contains(brickDirectory) {
            steps.append(.createBrickDirectory(brickDirectory))
        }
        return PreparePlan(
            device: device.path, label: label, mountPoint: mountPoint, brickDirectory: brickDirectory, steps: steps,
            resuming: true)
    }

    /// The requested label, checked; or the first `brickN` no other device, fstab line or mount uses.
    static func chooseLabel(request: PrepareRequest, facts: HostFacts) throws(PrepareRefusal) -> String {
        if let label = request.label {
            guard (1...12).contains(label.utf8.count),
                label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
            else {
                throw PrepareRefusal(
                    device: request.device, obstacle: .invalidLabel, reasons: ["label \"\(label)\" is not valid"],
                    hint: "use 1 to 12 letters, digits, '-', '_' or '.' (XFS allows 12 characters)")
            }
            // A label another device also has is allowed when asked for: fstab mounts by UUID, and
            // the same label on every host (brick1 everywhere) is the convention volumes rely on.
            // Only the mount point must be free, which chooseMountPoint checks.
            return label
        }
        for n in 1...999 {
            let label = BrickConvention.label(number: n)
            let mountPoint = request.convention.mountPoint(label: label)
            if facts.labelsInUse.contains(label) || facts.fstabMountPoints[mountPoint] != nil
                || facts.mountedPaths[mountPoint] != nil || facts.occupiedPaths.contains(mountPoint)
            {
                continue
            }
            return label
        }
        throw PrepareRefusal(device: request.device, obstacle: .noFreeLabel, reasons: ["no free brickN label"])
    }

    /// The requested mount point, checked; or `<mount root>/<label>`.
    static func chooseMountPoint(request: PrepareRequest, label: String, facts: HostFacts) throws(PrepareRefusal)
        -> String
    {
        let mountPoint = request.mountPoint.map(normalize) ?? request.convention.mountPoint(label: label)
        let refuse = { (obstacle: PrepareRefusal.Obstacle, reason: String, hint: String?) throws(PrepareRefusal) in
            throw PrepareRefusal(device: request.device, obstacle: obstacle, reasons: [reason], hint: hint)
        }
        if !mountPoint.hasPrefix("/") || mountPoint == "/" {
            try refuse(.mountPointNotAbsolute, "mount point \(mountPoint) is not an absolute path below /", nil)
        }
        for system in ["/proc", "/sys", "/dev", "/run", "/boot", "/etc", "/usr", "/bin", "/sbin", "/lib"]
        where mountPoint == system || mountPoint.hasPrefix(system + "/") {
            try refuse(
                .mountPointInSystemFolder, "mount point \(mountPoint) is inside the system folder \(system)",
                "choose a folder like /data/glusterfs/\(label)")
        }
        if let spec = facts.fstabMountPoints[mountPoint] {
            try refuse(.mountPointTaken, "fstab already mounts \(spec) at \(mountPoint)", nil)
        }
        if let source = facts.mountedPaths[mountPoint] {
            try refuse(.mountPointTaken, "\(source) is already mounted at \(mountPoint)", nil)
        }
        if facts.occupiedPaths.contains(mountPoint) {
            try refuse(.mountPointNotEmpty, "\(mountPoint) exists and is not an empty folder", nil)
        }
        return mountPoint
    }
}

/// `/data//x/` → `/data/x`.
func normalize(_ path: String) -> String {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true)
    return path.hasPrefix("/") ? "/" + parts.joined(separator: "/") : parts.joined(separator: "/")
}
