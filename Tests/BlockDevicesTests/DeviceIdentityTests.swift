import BrickctlTestSupport
import Testing

@testable import BlockDevices

@Suite(.offCooperativePool) struct DeviceIdentityTests {
    var identity: DeviceIdentity {
        var id = DeviceIdentity()
        id.paths = ["/dev/vdb", "/dev/vdb1"]
        id.add(
            PartitionTable.Entry(
                number: 1, start: 1 << 20, size: 1 << 30, name: "brickctl-brick", uuid: "AAAA-bbbb",
                signature: Signature(type: "xfs", usage: "filesystem", uuid: "77CA-1", label: "brick1")))
        return id
    }

    @Test(arguments: [
        "UUID=77ca-1", "UUID=\"77CA-1\"", "LABEL=brick1", "PARTUUID=aaaa-BBBB", "PARTLABEL=brickctl-brick",
        "/dev/vdb1", "/dev/vdb", "/dev/disk/by-uuid/77ca-1", "/dev/disk/by-label/brick1", "uuid=77ca-1",
    ])
    func matches(spec: String) {
        #expect(identity.matches(spec: spec))
    }

    @Test(arguments: ["UUID=77ca-2", "LABEL=Brick1", "/dev/vdc", "tmpfs", "server:/gv0", "PARTLABEL=x"])
    func doesNotMatch(spec: String) {
        #expect(!identity.matches(spec: spec))
    }
}
