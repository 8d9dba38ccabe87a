import BrickctlTestSupport
import Testing

@testable import BlockDevices
@testable import DiskPreparation

/// The prepare planner over hand-made disk states: what it refuses, and which steps remain.
@Suite(.offCooperativePool) struct PreparePlanTests {
    let rules = AvailabilityRules()
    let partName = BrickConvention.standard.partitionName

    func blank(size: UInt64 = 10 << 30) -> BlockDevice {
        BlockDevice(path: "/dev/vdb", name: "vdb", number: DeviceNumber(major: 254, minor: 16), kind: .disk, size: size)
    }

    func plan(
        _ device: BlockDevice, _ request: PrepareRequest = PrepareRequest(device: "/dev/vdb"),
        facts: HostFacts = HostFacts()
    ) throws -> PreparePlan {
        try PreparePlan.make(request: request, device: device, availability: rules.evaluate(device), facts: facts)
    }

    func refusal(
        _ device: BlockDevice, _ request: PrepareRequest = PrepareRequest(device: "/dev/vdb"),
        facts: HostFacts = HostFacts()
    ) -> PrepareRefusal? {
        do {
            _ = try plan(device, request, facts: facts)
            return nil
        } catch {
            return error as? PrepareRefusal
        }
    }

    /// A disk `prepare` partitioned, in a chosen state of completion.
    func ours(filesystem: Bool = true, kernelNode: Bool = true, fstab: Bool = true, mounted: Bool = true) -> BlockDevice
    {
        var d = blank()
        let sig = filesystem ? Signature(type: "xfs", usage: "filesystem", uuid: "u-1", label: "brick1") : nil
        var entry = PartitionTable.Entry(
            number: 1, start: 1 << 20, size: (10 << 30) - (2 << 20), name: partName, uuid: "p-1", signature: sig)
        if kernelNode {
            var part = BlockDevice(
                path: "/dev/vdb1", name: "vdb1", number: DeviceNumber(major: 254, minor: 17), kind: .partition,
                size: entry.size, parent: "vdb", partitionNumber: 1, signature: sig)
            if mounted { part.mountPoints = ["/data/glusterfs/brick1"] }
            d.partitions = [part]
            entry.device = "/dev/vdb1"
        }
        d.partitionTable = PartitionTable(type: "gpt", partitions: [entry])
        if fstab && filesystem {
            d.fstabReferences = [FstabReference(spec: "UUID=u-1", mountPoint: "/data/glusterfs/brick1", type: "xfs")]
        }
        if filesystem {
            d.brick = Brick(
                partition: entry.device, partitionNumber: 1, label: "brick1", uuid: "u-1",
                mountPoint: kernelNode && mounted ? "/data/glusterfs/brick1" : nil,
                fstabMountPoint: fstab ? "/data/glusterfs/brick1" : nil, brickDirectory: nil)
        }
        if mounted && kernelNode { d.exclusiveOpen = .busy }
        return d
    }

    @Test func blankDiskGetsEveryStepInOrder() throws {
        let p = try plan(blank())
        #expect(p.label == "brick1")
        #expect(p.mountPoint == "/data/glusterfs/brick1")
        #expect(p.brickDirectory == "/data/glusterfs/brick1/brick")
        #expect(
            p.steps == [
                .writePartitionTable(partitionName: partName), .addKernelPartition, .clearPartition,
                .makeFilesystem(label: "brick1", force: false),
                .addFstabEntry(mountPoint: "/data/glusterfs/brick1", options: ["rw", "inode64", "noatime", "nofail"]),
                .createMountPoint("/data/glusterfs/brick1"), .mount("/data/glusterfs/brick1"),
                .createBrickDirectory("/data/glusterfs/brick1/brick"),
            ])
        #expect(!p.resuming)
    }

    @Test func labelsAreDistinctPerHost() throws {
        let facts = HostFacts(
            labelsInUse: ["brick1"], fstabMountPoints: ["/data/glusterfs/brick2": "UUID=x"],
            occupiedPaths: ["/data/glusterfs/brick3"])
        let p = try plan(blank(), facts: facts)
        #expect(p.label == "brick4")
        #expect(p.mountPoint == "/data/glusterfs/brick4")
    }

    @Test func chosenLabelAndMountPoint() throws {
        let p = try plan(
            blank(), PrepareRequest(device: "/dev/vdb", label: "fast_1", mountPoint: "/srv//bricks/fast/"),
            facts: HostFacts(existingDirectories: ["/srv/bricks/fast"]))
        #expect(p.label == "fast_1")
        #expect(p.mountPoint == "/srv/bricks/fast")
        #expect(!p.steps.contains(.createMountPoint("/srv/bricks/fast")))
    }

    @Test(arguments: ["", "thirteen-char", "bad label", "ünï"])
    func invalidLabelsAreRefused(label: String) {
        let r = refusal(blank(), PrepareRequest(device: "/dev/vdb", label: label))
        #expect(r?.reasons.first?.contains("is not valid") == true)
    }

    @Test func labelUsedByAnotherDeviceIsAllowedWhenAskedFor() throws {
        // Lab nodes see each other's disks, and every host uses brick1: fstab mounts by UUID.
        let p = try plan(
            blank(), PrepareRequest(device: "/dev/vdb", label: "brick1"), facts: HostFacts(labelsInUse: ["brick1"]))
        #expect(p.label == "brick1")
        // ...but the default skips it.
        #expect(try plan(blank(), facts: HostFacts(labelsInUse: ["brick1"])).label == "brick2")
    }

    @Test(arguments: [
        ("relative/path", "is not an absolute path"), ("/", "is not an absolute path"),
        ("/proc/x", "inside the system folder /proc"), ("/etc", "inside the system folder /etc"),
        ("/in/fstab", "fstab already mounts"), ("/mounted", "is already mounted at"),
        ("/full", "is not an empty folder"),
    ])
    func badMountPointsAreRefused(path: String, message: String) {
        let facts = HostFacts(
            mountedPaths: ["/mounted": "/dev/sda1"], fstabMountPoints: ["/in/fstab": "UUID=1"], occupiedPaths: ["/full"]
        )
        let r = refusal(blank(), PrepareRequest(device: "/dev/vdb", mountPoint: path), facts: facts)
        #expect(r?.reasons.first?.contains(message) == true, "\(String(describing: r))")
    }

    @Test func signaturesNeedWipe() throws {
        var d = blank()
        d.signature = Signature(type: "ext4", usage: "filesystem", uuid: "e")
        let r = try #require(refusal(d))
        #expect(r.description == "refusing /dev/vdb: holds an ext4 filesystem (UUID e)")
        #expect(r.obstacle == .wipeableSignatures(count: 1))
        let p = try plan(d, PrepareRequest(device: "/dev/vdb", wipe: true))
        #expect(p.steps.first == .wipeSignatures)
        #expect(p.steps.contains(.makeFilesystem(label: "brick1", force: true)))
    }

    @Test func staleKernelPartitionsAreRemovedBeforeTheNewTable() throws {
        var d = blank()
        d.partitionTable = PartitionTable(type: "dos", partitions: [.init(number: 1, start: 1 << 20, size: 1 << 30)])
        d.partitions = [
            BlockDevice(
                path: "/dev/vdb1", name: "vdb1", number: DeviceNumber(major: 254, minor: 17), kind: .partition,
                size: 1 << 30, parent: "vdb", partitionNumber: 1)
        ]
        let p = try plan(d, PrepareRequest(device: "/dev/vdb", wipe: true))
        #expect(
            Array(p.steps.prefix(3)) == [
                .wipeSignatures, .removeKernelPartitions(["vdb1"]), .writePartitionTable(partitionName: partName),
            ])
    }

    @Test(arguments: [
        ("mounted", Availability.Reason.Code.mounted), ("swap", .swapInUse), ("ro", .readOnly),
        ("root", .rootFilesystem),
        ("busy", .busy), ("small", .tooSmall),
    ])
    func wipeNeverOverridesWhatIsInUse(kind: String, code: Availability.Reason.Code) {
        var d = blank()
        d.signature = Signature(type: "xfs", usage: "filesystem")
        switch kind {
        case "mounted":
            d.mountPoints = ["/srv"]
            d.exclusiveOpen = .busy
        case "swap": d.swapInUse = true
        case "ro": d.readOnly = true
        case "root": d.holdsRootFilesystem = true
        case "busy": d.exclusiveOpen = .busy
        default: d.size = 100 << 20
        }
        let r = refusal(d, PrepareRequest(device: "/dev/vdb", wipe: true))
        #expect(r != nil)
        #expect(r?.reasons.contains(rules.evaluate(d).reasons.first { $0.code == code }!.message) == true)
    }

    @Test func partitionsAreNotPrepared() {
        let p = BlockDevice(
            path: "/dev/vdb1", name: "vdb1", number: DeviceNumber(major: 254, minor: 17), kind: .partition,
            size: 5 << 30, parent: "vdb", partitionNumber: 1)
        #expect(refusal(p, PrepareRequest(device: "/dev/vdb1"))?.hint == "give the whole disk (/dev/vdb)")
    }

    // MARK: resuming

    @Test func finishedBrickIsANoOp() throws {
        let p = try plan(
            ours(), facts: HostFacts(existingDirectories: ["/data/glusterfs/brick1", "/data/glusterfs/brick1/brick"]))
        #expect(p.isNoOp)
        #expect(p.resuming)
        #expect(p.label == "brick1")
    }

    @Test func mountedWithoutBrickDirectory() throws {
        let p = try plan(ours(), facts: HostFacts(existingDirectories: ["/data/glusterfs/brick1"]))
        #expect(p.steps == [.createBrickDirectory("/data/glusterfs/brick1/brick")])
    }

    @Test func inFstabButNotMounted() throws {
        let p = try plan(ours(mounted: false), facts: HostFacts(existingDirectories: ["/data/glusterfs/brick1"]))
        #expect(p.steps == [.mount("/data/glusterfs/brick1"), .createBrickDirectory("/data/glusterfs/brick1/brick")])
    }

    @Test func afterRebootThePartitionIsAddedAgain() throws {
        let p = try plan(
            ours(kernelNode: false, mounted: false), facts: HostFacts(existingDirectories: ["/data/glusterfs/brick1"]))
        #expect(
            p.steps == [
                .addKernelPartition, .mount("/data/glusterfs/brick1"),
                .createBrickDirectory("/data/glusterfs/brick1/brick"),
            ])
    }

    @Test func formattedButNotInFstab() throws {
        let p = try plan(ours(fstab: false, mounted: false))
        #expect(
            p.steps == [
                .addFstabEntry(mountPoint: "/data/glusterfs/brick1", options: brickMountOptions),
                .createMountPoint("/data/glusterfs/brick1"), .mount("/data/glusterfs/brick1"),
                .createBrickDirectory("/data/glusterfs/brick1/brick"),
            ])
    }

    @Test func partitionedButNotFormattedIsFormattedWithoutForce() throws {
        let p = try plan(ours(filesystem: false, kernelNode: false, fstab: false, mounted: false))
        #expect(
            p.steps.prefix(3) == [.addKernelPartition, .clearPartition, .makeFilesystem(label: "brick1", force: false)])
        #expect(p.steps.contains(.mount("/data/glusterfs/brick1")))
    }

    @Test func resumeKeepsWhereTheBrickAlreadyIs() {
        let r = refusal(ours(), PrepareRequest(device: "/dev/vdb", mountPoint: "/elsewhere"))
        #expect(r?.reasons == ["it is already set up at /data/glusterfs/brick1"])
        let l = refusal(ours(), PrepareRequest(device: "/dev/vdb", label: "other"))
        #expect(l?.reasons == ["it is already brick brick1"])
    }

    @Test func ourPartitionHoldingSomethingElseIsRefused() {
        var d = ours(fstab: false, mounted: false)
        d.partitionTable?.partitions[0].signature = Signature(type: "ext4", usage: "filesystem")
        d.partitions[0].signature = Signature(type: "ext4", usage: "filesystem")
        d.brick = nil
        #expect(refusal(d)?.reasons.first?.contains("holds an ext4 filesystem, not xfs") == true)
    }

    @Test func foreignFstabLineStillBlocksOurDisk() {
        var d = ours()
        d.fstabReferences.append(FstabReference(spec: "/dev/vdb1", mountPoint: "/old", type: "ext4"))
        #expect(refusal(d)?.reasons.first?.hasPrefix("listed in /etc/fstab") == true)
    }
}
