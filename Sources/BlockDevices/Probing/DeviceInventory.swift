import Foundation
public import Fstab
import Glibc
import HostIO
import Synchronization

/// Observes the machine's block devices: sysfs, libblkid, mountinfo, swaps, fstab, exclusive open.
///
/// This is the I/O edge of discovery; what the observations mean is decided by `AvailabilityRules`.
public struct DeviceInventory: Sendable {
    public var sysfsRoot = "/sys"
    public var mountinfoPath = "/proc/self/mountinfo"
    public var swapsPath = "/proc/swaps"
    public var fstabPath: String
    public var convention: BrickConvention

    public init(fstabPath: String = FstabStore.defaultPath, convention: BrickConvention = .standard) {
        self.fstabPath = fstabPath
        self.convention = convention
    }

    /// Every block device, disks at the top with their partitions nested, in natural name order.
    ///
    /// - Parameter includeHidden: also ram and zram devices, detached loops and empty drives.
    public func scan(includeHidden: Bool = false) -> [BlockDevice] {
        let context = Context(inventory: self)
        let disks = context.blocks.values.filter { $0.partitionNumber == nil && (includeHidden || !isHidden($0)) }
            .sorted { naturalOrder($0.name, $1.name) }
        // Probing is mostly system calls (libblkid reads): spread the disks over the cores.
        let results = Mutex<[BlockDevice?]>(Array(repeating: nil, count: disks.count))
        DispatchQueue.concurrentPerform(iterations: disks.count) { index in
            let device = observe(disks[index], context: context)
            results.withLock { $0[index] = device }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// The device at `path` (a node under /dev or a symlink to one), observed in full.
    ///
    /// - Throws: `DeviceLookupError` when `path` is missing or is not a block device.
    public func device(at path: String) throws -> BlockDevice {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw DeviceLookupError.notFound(path: path)
        }
        guard (st.st_mode & S_IFMT) == S_IFBLK else {
            throw DeviceLookupError.notBlockDevice(path: path, isA: fileKind(st.st_mode))
        }
        let number = DeviceNumber(rdev: UInt64(st.st_rdev))
        let context = Context(inventory: self)
        guard let block = context.blocks.values.first(where: { $0.number == number }) else {
            throw DeviceLookupError.unknownToKernel(path: path, number: number)
        }
        return observe(block, context: context)
    }

    /// Everything read once per scan and shared by every device.
    struct Context: Sendable {
        let mounts: MountTable
        let swapDevices: Set<DeviceNumber>
        let fstab: [FstabReference]
        /// Every entry of /sys/class/block, by kernel name.
        let blocks: [String: SysfsBlock]
        /// Partitions by the kernel name of their disk.
        let partitions: [String: [SysfsBlock]]
        /// Devices that are mounted at `/` or have something mounted at `/` stacked on them.
        let rootHolders: Set<String>

        init(inventory: DeviceInventory) {
            mounts = MountTable(mountinfo: Self.read(inventory.mountinfoPath))
            let swaps = SwapTable(procSwaps: Self.read(inventory.swapsPath))
            swapDevices = Set(swaps.paths.compactMap { DeviceNode.number(of: $0) })
            let file = FstabFile(parsing: Self.read(inventory.fstabPath))
            fstab = file.entries.map { FstabReference(spec: $0.spec, mountPoint: $0.mountPoint, type: $0.type) }
            let all = SysfsBlock.all(sysfsRoot: inventory.sysfsRoot)
            blocks = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            partitions = Dictionary(grouping: all.filter { $0.parentName != nil }, by: { $0.parentName ?? "" })
                .mapValues { $0.sorted { ($0.partitionNumber ?? 0) < ($1.partitionNumber ?? 0) } }
            // Walk down from whatever is mounted at /: through stacking (holders) and to the disk
            // of a partition.
            var holders = Set<String>()
            let byName = blocks
            func mark(_ name: String, depth: Int) {
                guard depth < 16, holders.insert(name).inserted, let block = byName[name] else { return }
                if let parent = block.parentName { mark(parent, depth: depth + 1) }
                for (lower, candidate) in byName where candidate.holders.contains(name) {
                    mark(lower, depth: depth + 1)
                }
            }
            if let root = mounts.rootDevice, let top = all.first(where: { $0.number == root }) {
                mark(top.name, depth: 0)
            }
            rootHolders = holders
        }

        static func read(_ path: String) -> String {
            ProcFile.read(path) ?? ""
        }
    }

    private func isHidden(_ block: SysfsBlock) -> Bool {
        switch block.kind {
        case .ram, .zram: return true
        case .loop: return block.attribute("loop/backing_file") == nil
        default: return block.sizeBytes == 0
        }
    }

    private func observe(_ block: SysfsBlock, context: Context) -> BlockDevice {
        let number = block.number ?? DeviceNumber(major: 0, minor: 0)
        var device = BlockDevice(
            path: "/dev/\(block.devName)", name: block.name, number: number, kind: block.kind, size: block.sizeBytes,
            logicalSectorSize: Int(block.integer("queue/logical_block_size") ?? 512),
            physicalSectorSize: Int(block.integer("queue/physical_block_size") ?? 512),
            rotational: block.flag("queue/rotational"), removable: block.flag("removable"), readOnly: block.flag("ro"),
            model: block.attribute("device/model"),
            serial: block.attribute("serial") ?? block.attribute("device/serial"),
            backingFile: block.attribute("loop/backing_file"),
            parent: block.parentName, partitionNumber: block.partitionNumber)
        device.mountPoints = context.mounts.mountPoints(of: number)
        device.swapInUse = context.swapDevices.contains(number)
        device.holders = block.holders
        device.holdsRootFilesystem = context.rootHolders.contains(block.name)

        // Partitions the kernel knows, observed in full.
        if device.kind != .partition {
            device.partitions = (context.partitions[block.name] ?? []).map { observe($0, context: context) }
        }

        probe(&device)

        var identity = DeviceIdentity()
        identity.paths.insert(device.path)
        identity.add(device.signature)
        for part in device.partitions {
            identity.paths.insert(part.path)
            identity.add(part.signature)
        }
        for entry in device.partitionTable?.partitions ?? [] {
            identity.add(entry)
        }
        device.fstabReferences = identity.references(in: context.fstab)
        device.brick = recogniseBrick(device, context: context)
        return device
    }

    /// Opens the device (exclusively first) and runs every libblkid probe on it.
    private func probe(_ device: inout BlockDevice) {
        let node: DeviceNode
        do {
            node = try DeviceNode(path: device.path, exclusive: true)
            device.exclusiveOpen = .succeeded
        } catch let error as SystemError where error.errno == EBUSY {
            device.exclusiveOpen = .busy
            do {
                node = try DeviceNode(path: device.path)
            } catch {
                device.probeError = "\(error)"
                return
            }
        } catch let error as SystemError {
            device.exclusiveOpen = .failed(String(cString: strerror(error.errno)))
            return
        } catch {
            device.exclusiveOpen = .failed("\(error)")
            return
        }
        guard device.size > 0 else { return }
        // A disk and its partitions (or a device mapper on top) have separate page caches, so what
        // was written through /dev/vdb1 can be invisible through a stale cache of /dev/vdb. The
        // kernel drops a device's cache at its last close; it can only be stale while something
        // else keeps the disk open: a partition or holder, or an exclusive user. Then drop it.
        if !device.partitions.isEmpty || !device.holders.isEmpty || device.exclusiveOpen == .busy {
            node.dropCache()
        }
        // The cache is cold after a last close anyway: fill the regions libblkid reads in two
        // large reads instead of letting its ~45 small reads each go to the device.
        node.prefetchForProbe(size: device.size)
        do {
            let found = try BlkidProbe(fileDescriptor: node.fileDescriptor).identify()
            device.signature = found.signature
            device.ambiguousSignature = found.ambiguous
            if device.kind != .partition {
                if var table = found.table {
                    for index in table.partitions.indices {
                        let entry = table.partitions[index]
                        let kernelNode = device.partitions.first {
                            $0.partitionNumber == entry.number && $0.size == entry.size
                        }
                        table.partitions[index].device = kernelNode?.path
                        if let kernelNode {
                            // The kernel's node was probed already (and sees a mounted filesystem's cache).
                            table.partitions[index].signature = kernelNode.signature
                        } else if case .found(let signature) = try BlkidProbe(
                            fileDescriptor: node.fileDescriptor, offset: entry.start, size: entry.size
                        ).superblock() {
                            // No node (this kernel cannot parse tables): read the partition through the disk.
                            table.partitions[index].signature = Signature(
                                type: signature.type, usage: signature.usage, uuid: signature.uuid,
                                label: signature.label, offset: 0)
                        }
                    }
                    device.partitionTable = table
                } else if device.signature == nil, !device.ambiguousSignature, device.size > convention.partitionStart {
                    // No table and nothing at the start: is an old filesystem waiting at 1 MiB?
                    node.prefetchForProbe(size: device.size, from: convention.partitionStart, includingEnd: false)
                    if case .found(let old) = try BlkidProbe(
                        fileDescriptor: node.fileDescriptor, offset: convention.partitionStart,
                        size: device.size - convention.partitionStart
                    ).superblock() {
                        device.signatureAtPartitionStart = old
                    }
                }
            }
        } catch {
            device.probeError = "\(error)"
        }
    }

    /// A GPT with one partition named `brickctl-brick` that holds XFS is a brick `prepare` made.
    private func recogniseBrick(_ device: BlockDevice, context: Context) -> Brick? {
        guard let table = device.partitionTable, table.type == "gpt", table.partitions.count == 1,
            let entry = table.partitions.first, entry.name == convention.partitionName,
            let signature = entry.signature, signature.type == "xfs"
        else { return nil }
        let partition = device.partitions.first { $0.path == entry.device }
        let mountPoint = partition?.mountPoints.first
        let fstabMountPoint = signature.uuid.flatMap { uuid in
            var identity = DeviceIdentity()
            identity.uuids.insert(uuid.lowercased())
            return identity.references(in: context.fstab).first?.mountPoint
        }
        let brickDirectory = mountPoint.map { convention.brickDirectory(mountPoint: $0) }
            .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        return Brick(
            partition: entry.device, partitionNumber: entry.number, label: signature.label, uuid: signature.uuid,
            mountPoint: mountPoint, fstabMountPoint: fstabMountPoint, brickDirectory: brickDirectory)
    }
}

/// Why a path given by the user is not a device brickctl can look at.
public enum DeviceLookupError: Error, CustomStringConvertible, Sendable, Equatable {
    case notFound(path: String)
    case notBlockDevice(path: String, isA: String)
    case unknownToKernel(path: String, number: DeviceNumber)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such device"
        case .notBlockDevice(let path, let kind):
            return "\(path) is \(kind), not a block device; give a disk such as /dev/vdb"
        case .unknownToKernel(let path, let number):
            return
                "\(path) is a block device node (\(number)) the kernel does not know; it is stale"
        }
    }
}

private func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: return "a regular file"
    case S_IFDIR: return "a directory"
    case S_IFCHR: return "a character device"
    case S_IFIFO: return "a named pipe"
    case S_IFSOCK: return "a socket"
    default: return "not a device"
    }
}

/// `loop2` before `loop10`.
func naturalOrder(_ a: String, _ b: String) -> Bool {
    a.compare(b, options: .numeric) == .orderedAscending
}
