public import BlockDevices
import Foundation
public import Fstab
import Glibc
import HostIO

/// Runs `brickctl prepare`: observes the disk, plans, and carries the plan out step by step.
///
/// The device node is `flock`ed for the whole run (a second brickctl on the same disk waits, then
/// gives up with a message); the destructive steps (wipe, partition, BLKPG) hold it open with
/// `O_EXCL`, which the kernel refuses while anything mounts or holds the disk.
public struct Preparer: Sendable {
    public var inventory: DeviceInventory
    public var fstab: FstabStore
    public var kernel = KernelPartitions()
    public var rules: AvailabilityRules
    /// Test hook: the run kills itself with SIGKILL right after the step of this name, to prove
    /// that every interrupted state is resumed. Set from `BRICKCTL_TEST_CRASH_AFTER`
    /// in debug builds only.
    public var crashAfter: String?
    /// Test hook: extra `-o` options for the mount step, to make a real mount fail (an option XFS
    /// rejects) and prove the fstab rollback. Set from
    /// `BRICKCTL_TEST_MOUNT_OPTIONS` in debug builds only.
    public var extraMountOptions: String?

    public init(fstab: FstabStore, convention: BrickConvention = .standard) {
        self.fstab = fstab
        self.inventory = DeviceInventory(fstabPath: fstab.path, convention: convention)
        self.rules = AvailabilityRules(fstabPath: fstab.path)
    }

    /// A step that finished, for progress output.
    public struct StepReport: Sendable {
        public var step: PrepareStep
        public var seconds: Double
        public var detail: String?
    }

    /// What a run did.
    public struct Outcome: Sendable {
        public var plan: PreparePlan
        public var steps: [StepReport]
        public var partition: String?
        public var uuid: String?
    }

    /// Observes `request.device` and plans, writing nothing.
    ///
    /// - Throws: `DeviceLookupError` for a bad path, `PrepareRefusal` when the disk may not be used.
    public func plan(_ request: PrepareRequest) throws -> PreparePlan {
        let device = try inventory.device(at: request.device)
        return try PreparePlan.make(
            request: request, device: device, availability: rules.evaluate(device),
            facts: facts(for: request, device: device))
    }

    /// Plans and runs `request`; `started` is called before each step (with its 1-based index and
    /// the number of steps), `finished` after it.
    ///
    /// - Throws: `PrepareRefusal` before anything is written, `PrepareError` or `CommandError` when
    ///   a step fails (fstab is rolled back when the mount fails).
    public func run(
        _ request: PrepareRequest, started: (PrepareStep, Int, Int) -> Void = { _, _, _ in },
        finished: (StepReport) -> Void = { _ in }
    ) throws -> Outcome {
        // Lock first, so two runs on one disk take turns instead of seeing each other's probes.
        // A node that cannot even be opened (the sandboxed root disk, a bad path) gets no lock: the
        // plan below refuses it with the real reason.
        var lock: FileLock?
        var lockError: (any Error)?
        do {
            lock = try FileLock(path: request.device, create: false, timeout: 30)
        } catch let error as FileLockError {
            throw PrepareError(.busy, "another brickctl run is working on \(request.device)", cause: .error(error))
        } catch {
            lockError = error
        }
        defer { withExtendedLifetime(lock) {} }

        let device = try inventory.device(at: request.device)
        let plan = try PreparePlan.make(
            request: request, device: device, availability: rules.evaluate(device),
            facts: facts(for: request, device: device))
        if plan.isNoOp { return Outcome(plan: plan, steps: [], partition: nil, uuid: nil).resolved(preparer: self) }
        if lock == nil { throw lockError ?? PrepareError(.busy, "cannot lock \(request.device)") }
        var run = Run(preparer: self, device: device, plan: plan)
        var reports: [StepReport] = []
        for (index, step) in plan.steps.enumerated() {
            started(step, index + 1, plan.steps.count)
            let t0 = monotonicSeconds()
            let detail = try run.apply(step)
            let report = StepReport(step: step, seconds: monotonicSeconds() - t0, detail: detail)
            reports.append(report)
            finished(report)
            if step.name == crashAfter { kill(getpid(), SIGKILL) }
        }
        return Outcome(plan: plan, steps: reports, partition: run.partitionPath, uuid: nil).resolved(preparer: self)
    }

    /// The host facts the planner needs, read now.
    func facts(for request: PrepareRequest, device: BlockDevice) throws -> HostFacts {
        var labels = Set<String>()
        for other in inventory.scan() where other.path != device.path {
            if let label = other.signature?.label { labels.insert(label) }
            for entry in other.partitionTable?.partitions ?? [] {
                if let label = entry.signature?.label { labels.insert(label) }
            }
            for part in other.partitions {
                if let label = part.signature?.label { labels.insert(label) }
            }
        }
        let mounts = MountTable(
            mountinfo: (try? String(contentsOfFile: inventory.mountinfoPath, encoding: .utf8)) ?? "")
        var mounted: [String: String] = [:]
        for mount in mounts.mounts { mounted[mount.mountPoint] = mount.source }
        var fstabPoints: [String: String] = [:]
        for entry in try fstab.read().entries { fstabPoints[entry.mountPoint] = entry.spec }

        // Candidate mount points: the request, every folder under the mount root, the disk's own.
        let root = inventory.convention.mountRoot
        var candidates = Set<String>()
        if let asked = request.mountPoint { candidates.insert(normalize(asked)) }
        for child in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            candidates.insert("\(root)/\(child)")
        }
        for path in [device.brick?.mountPoint, device.brick?.fstabMountPoint].compactMap({ $0 }) {
            candidates.insert(path)
        }
        var occupied = Set<String>()
        var existing = Set<String>()
        for path in candidates {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                existing.insert(path)
                if !((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty {
                    occupied.insert(path)
                }
                let brick = inventory.convention.brickDirectory(mountPoint: path)
                if FileManager.default.fileExists(atPath: brick) { existing.insert(brick) }
            } else {
                occupied.insert(path)
            }
        }
        return HostFacts(
            labelsInUse: labels, mountedPaths: mounted, fstabMountPoints: fstabPoints, occupiedPaths: occupied,
            existingDirectories: existing)
    }
}

extension Preparer.Outcome {
    /// Fills in the partition and filesystem UUID from the disk as it is now.
    func resolved(preparer: Preparer) -> Preparer.Outcome {
        var outcome = self
        if let device = try? preparer.inventory.device(at: plan.device),
            let entry = PreparePlan.ownPartition(device, convention: preparer.inventory.convention)
        {
            outcome.partition = entry.device ?? partition
            outcome.uuid = entry.signature?.uuid
        }
        return outcome
    }
}

/// The state of one run between steps: descriptors, the new partition, the fstab change.
private struct Run {
    let preparer: Preparer
    let device: BlockDevice
    let plan: PreparePlan
    var exclusive: DeviceNode?
    var written: GPTWriter.Written?
    var partitionPath: String?
    var fstabChange: FstabChange?

    init(preparer: Preparer, device: BlockDevice, plan: PreparePlan) {
        self.preparer = preparer
        self.device = device
        self.plan = plan
        if let entry = PreparePlan.ownPartition(device, convention: preparer.inventory.convention) {
            written = GPTWriter.Written(number: entry.number, start: entry.start, size: entry.size)
            partitionPath = entry.device
        }
    }

    /// The disk opened read-write and exclusively, kept for the destructive steps.
    mutating func disk() throws -> DeviceNode {
        if let exclusive { return exclusive }
        do {
            let node = try DeviceNode(path: device.path, writable: true, exclusive: true)
            exclusive = node
            return node
        } catch let error as SystemError where error.errno == EBUSY {
            throw PrepareError(
                .busy, "\(device.path) is in use (exclusive open failed): unmount it or stop what holds it")
        }
    }

    /// Releases the exclusive open: mkfs.xfs and mount need to claim the partition themselves.
    mutating func releaseDisk() {
        if let node = exclusive { fsync(node.fileDescriptor) }
        exclusive = nil
    }

    mutating func apply(_ step: PrepareStep) throws -> String? {
        switch step {
        case .wipeSignatures:
            let disk = try disk()
            let erased = try SignatureEraser.eraseAll(
                on: device, disk: disk, partitionStart: preparer.inventory.convention.partitionStart)
            return erased.isEmpty ? "nothing to erase" : "erased " + erased.joined(separator: ", ")

        case .removeKernelPartitions(let names):
            let disk = try disk()
            for (number, part) in preparer.kernel.current(disk: device.name) where names.contains(part.name) {
                try preparer.kernel.remove(number: number, diskFD: disk.fileDescriptor, disk: device.name)
            }
            return nil

        case .writePartitionTable(let name):
            let disk = try disk()
            let writer = try GPTWriter(fileDescriptor: disk.fileDescriptor, path: device.path)
            let written = try writer.writeSinglePartition(
                name: name, start: preparer.inventory.convention.partitionStart)
            self.written = written
            return "partition \(written.number): \(written.start) bytes + \(ByteCount(written.size))"

        case .addKernelPartition:
            guard let written else { throw PrepareError(.kernel, "no partition to add: the table was not read") }
            let disk = try disk()
            let path = try preparer.kernel.add(
                number: written.number, start: written.start, size: written.size, diskFD: disk.fileDescriptor,
                disk: device.name)
            partitionPath = path
            return path

        case .clearPartition:
            let node = try DeviceNode(path: try partition(), writable: true)
            let erased = try BlkidProbe(fileDescriptor: node.fileDescriptor).wipeAll()
            return erased.isEmpty ? nil : "erased " + erased.joined(separator: ", ")

        case .makeFilesystem(let label, let force):
            releaseDisk()
            let path = try partition()
            var args = ["-q", "-i", "size=512", "-n", "size=8192", "-L", label]
            if force { args.append("-f") }
            do {
                try Command("mkfs.xfs", args + [path]).check()
            } catch let CommandError.failed(_, _, message) {
                throw PrepareError(.filesystem, "mkfs.xfs on \(path) failed", cause: .output(message))
            }
            return path

        case .addFstabEntry(let mountPoint, let options):
            releaseDisk()
            guard let uuid = try filesystemUUID() else {
                throw PrepareError(
                    .filesystem, "the new filesystem on \(try partition()) has no UUID", advice: "run prepare again")
            }
            let entry = FstabEntry(
                spec: "UUID=\(uuid)", mountPoint: mountPoint, type: "xfs", options: options, dump: 0, pass: 0)
            let change = try preparer.fstab.update { $0.upsert(entry) }
            fstabChange = change
            return entry.description

        case .createMountPoint(let path):
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return nil

        case .mount(let mountPoint):
            releaseDisk()
            let extra = preparer.extraMountOptions.map { ["-o", $0] } ?? []
            let output = try Command("mount", ["--fstab", preparer.fstab.path] + extra + [mountPoint]).run()
            if !output.succeeded {
                var rolledBack: String?
                if let change = fstabChange, change.isChanged {
                    try preparer.fstab.restore(change)
                    rolledBack = "the fstab entry was removed again"
                }
                throw PrepareError(
                    .mount, "mount \(mountPoint) failed", cause: .output(output.message), advice: rolledBack)
            }
            return nil

        case .createBrickDirectory(let path):
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return nil
        }
    }

    func partition() throws -> String {
        guard let partitionPath else { throw PrepareError(.kernel, "the partition has no device node yet") }
        return partitionPath
    }

    /// The UUID of the filesystem on the partition, read with libblkid.
    func filesystemUUID() throws -> String? {
        guard let partitionPath else { return nil }
        let node = try DeviceNode(path: partitionPath)
        if case .found(let signature) = try BlkidProbe(fileDescriptor: node.fileDescriptor).superblock() {
            return signature.uuid
        }
        return nil
    }
}
