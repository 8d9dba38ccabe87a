import BrickctlTestSupport
import Testing

@testable import BlockDevices

@Suite(.offCooperativePool) struct MountTableTests {
    let sample = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
        90 27 7:3 / /mnt/with\\040space rw,relatime shared:5 - xfs /dev/loop3 rw,inode64
        91 27 259:1 / /data/glusterfs/brick1 rw,noatime - xfs /dev/loop4p1 rw
        92 27 259:1 / /data/again rw,noatime - xfs /dev/loop4p1 rw
        broken line
        """

    @Test func parsesDeviceNumbersAndDecodesEscapes() {
        let table = MountTable(mountinfo: sample)
        #expect(table.mounts.count == 5)
        #expect(table.rootDevice == DeviceNumber(major: 254, minor: 0))
        #expect(table.mountPoints(of: DeviceNumber(major: 7, minor: 3)) == ["/mnt/with space"])
        #expect(table.mount(at: "/mnt/with space")?.fsType == "xfs")
        #expect(table.mountPoints(of: DeviceNumber(major: 259, minor: 1)) == ["/data/glusterfs/brick1", "/data/again"])
        #expect(table.mountPoints(of: DeviceNumber(major: 8, minor: 0)).isEmpty)
    }

    @Test func octalEscapes() {
        #expect(decodeOctalEscapes("a\\040b\\011c\\134d") == "a b\tc\\d")
        #expect(decodeOctalEscapes("trailing\\04") == "trailing\\04")
        #expect(decodeOctalEscapes("not\\999octal") == "not\\999octal")
    }

    @Test func swaps() {
        let swaps = SwapTable(
            procSwaps: """
                Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority
                /dev/loop5                              partition\t1048572\t\t0\t\t-2
                /swap\\040file                          file\t\t1048572\t\t0\t\t-3
                """)
        #expect(swaps.paths == ["/dev/loop5", "/swap file"])
        #expect(swaps.contains(path: "/dev/loop5"))
    }

    @Test func deviceNumbers() {
        #expect(DeviceNumber("8:16") == DeviceNumber(major: 8, minor: 16))
        #expect(DeviceNumber("8") == nil)
        #expect(DeviceNumber("a:b") == nil)
        // dev_t 259:1 as glibc packs it
        #expect(DeviceNumber(rdev: (259 << 8) | 1) == DeviceNumber(major: 259, minor: 1))
        // Large numbers use glibc's split encoding: makedev(4097, 300).
        let major: UInt64 = 4097
        let minor: UInt64 = 300
        let rdev = ((major & 0xfff) << 8) | ((major & ~0xfff) << 32) | (minor & 0xff) | ((minor & ~0xff) << 12)
        #expect(DeviceNumber(rdev: rdev) == DeviceNumber(major: 4097, minor: 300))
    }
}
