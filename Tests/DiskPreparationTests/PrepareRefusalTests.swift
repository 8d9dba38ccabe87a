import BrickctlTestSupport
import Testing

@testable import BlockDevices
@testable import DiskPreparation

/// `PrepareRefusal` as a typed value: what is in the way, and words without command-line options
/// (the command line's advice is BrickctlCommandsTests' PrepareRefusalWordingTests).
@Suite(.offCooperativePool) struct PrepareRefusalTests {
    let rules = AvailabilityRules()

    func blank() -> BlockDevice {
        BlockDevice(
            path: "/dev/vdb", name: "vdb", number: DeviceNumber(major: 254, minor: 16), kind: .disk, size: 10 << 30)
    }

    func refusal(_ device: BlockDevice, _ request: PrepareRequest = PrepareRequest(device: "/dev/vdb"))
        -> PrepareRefusal?
    {
        do {
            _ = try PreparePlan.make(
                request: request, device: device, availability: rules.evaluate(device), facts: HostFacts())
            return nil
        } catch {
            return error
        }
    }

    @Test func wipeableSignaturesAreCountedAndTheMessageNamesNoOption() throws {
        var d = blank()
        d.signature = Signature(type: "ext4", usage: "filesystem", uuid: "e")
        d.partitionTable = PartitionTable(type: "dos", partitions: [])
        let r = try #require(refusal(d))
        #expect(r.obstacle == .wipeableSignatures(count: 2))
        #expect(r.hint == nil)
        #expect(!r.message.contains("--"))
        #expect(r.message == "refusing /dev/vdb: " + r.reasons.joined(separator: "; "))
        #expect(r.description == r.message)
    }

    @Test func whatNoOptionOverridesCarriesTheBlockingCodes() throws {
        var d = blank()
        d.signature = Signature(type: "xfs", usage: "filesystem")
        d.readOnly = true
        let r = try #require(refusal(d, PrepareRequest(device: "/dev/vdb", wipe: true)))
        #expect(r.obstacle == .unavailable([.readOnly]))
        #expect(r.description == r.message)
    }

    @Test func systemDiskHintNamesNoOption() throws {
        var d = blank()
        d.holdsRootFilesystem = true
        let r = try #require(refusal(d))
        guard case .unavailable(let codes) = r.obstacle else {
            Issue.record("obstacle \(r.obstacle)")
            return
        }
        #expect(codes.contains(.rootFilesystem))
        #expect(r.hint == "this is the system disk: brickctl never touches it")
        #expect(r.description.hasSuffix("; this is the system disk: brickctl never touches it"))
    }

    @Test func mountPointRefusalsAreTyped() throws {
        let relative = try #require(refusal(blank(), PrepareRequest(device: "/dev/vdb", mountPoint: "x")))
        #expect(relative.obstacle == .mountPointNotAbsolute)
        #expect(relative.hint == nil)
        #expect(!relative.description.contains("--"))
        let system = try #require(refusal(blank(), PrepareRequest(device: "/dev/vdb", mountPoint: "/etc/b")))
        #expect(system.obstacle == .mountPointInSystemFolder)
        #expect(system.hint == "choose a folder like /data/glusterfs/brick1")
    }
}
