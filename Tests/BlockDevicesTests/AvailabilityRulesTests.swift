import BrickctlTestSupport
import Testing

@testable import BlockDevices

/// The verdict rules over hand-made observed states: no root, no devices.
@Suite(.offCooperativePool) struct AvailabilityRulesTests {
    let rules = AvailabilityRules()
    let gib: UInt64 = 1 << 30

    func disk(_ name: String = "vdb", size: UInt64 = 10 << 30) -> BlockDevice {
        BlockDevice(
            path: "/dev/\(name)", name: name, number: DeviceNumber(major: 254, minor: 16), kind: .disk, size: size)
    }

    func codes(_ device: BlockDevice) -> [Availability.Reason.Code] {
        rules.evaluate(device).reasons.map(\.code)
    }

    @Test func blankDiskIsAvailable() {
        let verdict = rules.evaluate(disk())
        #expect(verdict.available)
        #expect(verdict.reasons.isEmpty)
    }

    @Test func rootDiskIsNeverAvailable() {
        var d = disk("vda")
        d.holdsRootFilesystem = true
        d.mountPoints = ["/"]
        d.exclusiveOpen = .failed("Operation not permitted")
        let verdict = rules.evaluate(d)
        #expect(!verdict.available)
        #expect(verdict.reasons.first?.message == "holds the root filesystem")
        #expect(codes(d) == [.rootFilesystem, .mounted, .unreadable])
        #expect(!verdict.reasons.contains { $0.wipeable && $0.code == .rootFilesystem })
    }

    @Test func mountedDiskNamesTheMountPointAndDoesNotBlameABusyOpen() {
        var d = disk()
        d.mountPoints = ["/srv"]
        d.exclusiveOpen = .busy
        d.signature = Signature(type: "xfs", usage: "filesystem", uuid: "77ca", label: "data")
        let messages = rules.evaluate(d).reasons.map(\.message)
        #expect(messages == ["mounted at /srv", "holds an xfs filesystem (UUID 77ca, label data)"])
    }

    @Test func busyWithoutExplanationIsReported() {
        var d = disk()
        d.exclusiveOpen = .busy
        #expect(rules.evaluate(d).reasons.map(\.message) == ["in use by another process (exclusive open failed)"])
    }

    @Test func partitionTableIsCountedInWords() {
        var d = disk()
        d.partitionTable = PartitionTable(
            type: "gpt",
            partitions: [
                .init(number: 1, start: 1 << 20, size: 1 << 29), .init(number: 2, start: 1 << 29, size: 1 << 29),
            ])
        #expect(rules.evaluate(d).reasons.map(\.message) == ["has a gpt partition table with 2 partitions"])
        d.partitionTable?.partitions.removeLast()
        #expect(rules.evaluate(d).reasons.map(\.message) == ["has a gpt partition table with 1 partition"])
    }

    @Test func signaturesAreNamedForWhatTheyAre() {
        var d = disk()
        d.signature = Signature(type: "swap", usage: "other", uuid: "abc")
        #expect(rules.evaluate(d).reasons.map(\.message) == ["holds a swap signature (UUID abc)"])
        d.signature = Signature(type: "LVM2_member", usage: "raid")
        #expect(rules.evaluate(d).reasons.map(\.message) == ["holds an LVM2 physical volume"])
        d.signature = Signature(type: "ext4", usage: "filesystem", uuid: "u")
        #expect(rules.evaluate(d).reasons.map(\.message) == ["holds an ext4 filesystem (UUID u)"])
        d.signature = Signature(type: "crypto_LUKS", usage: "crypto")
        #expect(rules.evaluate(d).reasons.map(\.message) == ["holds a crypto_LUKS encrypted volume"])
    }

    @Test func oldFilesystemAtOneMiBIsReported() {
        var d = disk()
        d.signatureAtPartitionStart = Signature(type: "xfs", usage: "filesystem", uuid: "9f", offset: 1 << 20)
        let verdict = rules.evaluate(d)
        #expect(verdict.reasons.map(\.message) == ["an old xfs filesystem (UUID 9f) survives at the 1 MiB offset"])
        #expect(verdict.reasons.allSatisfy { $0.wipeable })
    }

    @Test func swapReadOnlyRemovableSmall() {
        var d = disk(size: 512 << 20)
        d.swapInUse = true
        d.readOnly = true
        d.removable = true
        #expect(codes(d) == [.swapInUse, .readOnly, .removable, .tooSmall])
        #expect(rules.evaluate(d).reasons.last?.message == "smaller than 1G (512M)")
        #expect(!rules.evaluate(d).reasons.contains { $0.wipeable })
    }

    @Test func exactlyOneGibibyteIsBigEnough() {
        #expect(rules.evaluate(disk(size: gib)).available)
        #expect(codes(disk(size: gib - 512)) == [.tooSmall])
        #expect(codes(disk(size: 0)) == [.noMedia])
    }

    @Test func partitionsInUseBlockTheirDisk() {
        var d = disk()
        var p = BlockDevice(
            path: "/dev/vdb1", name: "vdb1", number: DeviceNumber(major: 254, minor: 17), kind: .partition,
            size: 1 << 30, parent: "vdb", partitionNumber: 1)
        p.mountPoints = ["/data"]
        d.partitions = [p]
        d.exclusiveOpen = .busy
        d.partitionTable = PartitionTable(type: "dos", partitions: [.init(number: 1, start: 1 << 20, size: 1 << 30)])
        #expect(
            rules.evaluate(d).reasons.map(\.message) == [
                "partition vdb1 is mounted at /data", "has a dos partition table with 1 partition",
            ])
        // The partition itself is never offered: brickctl prepares whole disks.
        #expect(rules.evaluate(p).reasons.map(\.code) == [.isPartition, .mounted])
    }

    @Test func kernelPartitionsWithoutATableAreStale() {
        var d = disk()
        d.partitions = [
            BlockDevice(
                path: "/dev/vdb1", name: "vdb1", number: DeviceNumber(major: 254, minor: 17), kind: .partition,
                size: 1 << 30)
        ]
        #expect(codes(d) == [.kernelPartitions])
    }

    @Test func fstabAndHoldersAndBricks() {
        var d = disk()
        d.holders = ["dm-0"]
        d.fstabReferences = [FstabReference(spec: "UUID=1234", mountPoint: "/data/glusterfs/brick1", type: "xfs")]
        d.brick = Brick(
            partition: "/dev/vdb1", partitionNumber: 1, label: "brick1", uuid: "1234",
            mountPoint: "/data/glusterfs/brick1", fstabMountPoint: "/data/glusterfs/brick1", brickDirectory: nil)
        let messages = rules.evaluate(d).reasons.map(\.message)
        #expect(
            messages == [
                "is brickctl brick brick1, mounted at /data/glusterfs/brick1",
                "held by dm-0 (device mapper, LVM or RAID)",
                "listed in /etc/fstab (UUID=1234 on /data/glusterfs/brick1)",
            ])
    }

    @Test func everyReasonIsCollectedNotJustTheFirst() {
        var d = disk(size: 100 << 20)
        d.readOnly = true
        d.signature = Signature(type: "ext4", usage: "filesystem")
        d.ambiguousSignature = true
        #expect(codes(d) == [.readOnly, .tooSmall, .signature, .ambiguousSignature])
    }
}
