import Foundation
import HostIO
import Testing

/// `brickctl disks` against real loop devices, each made into one case of the verdict table.
extension Integration {
    @Suite struct DisksCommandTests {
        let fstab: String

        init() throws {
            fstab = try Fixtures.directory("fstab") + "/fstab"
            try "# scratch fstab for tests\n".write(toFile: fstab, atomically: true, encoding: .utf8)
        }

        func disks(_ devices: [String]) throws -> [DisksJSON.Device] {
            let out = try Fixtures.run(["disks", "--json", "--fstab", fstab] + devices)
            #expect(out.status == 0, "brickctl disks failed: \(out.stderr)")
            return try DisksJSON.decode(out.stdout).devices
        }

        func disk(_ loop: LoopDisk) throws -> DisksJSON.Device {
            let found = try disks([loop.path])
            try #require(found.count == 1)
            return found[0]
        }

        @Test func blankDiskIsAvailable() throws {
            let loop = try LoopDisk()
            let d = try disk(loop)
            #expect(d.available)
            #expect(d.reasons.isEmpty)
            #expect(d.type == "loop")
            #expect(d.size == 1 << 30)
            #expect(d.backingFile == loop.image)
            #expect(d.exclusiveOpen == "ok")
            #expect(d.signature == nil && d.partitionTable == nil)
        }

        @Test func gptWithAPartition() throws {
            let loop = try LoopDisk()
            try Command("sfdisk", ["-q", loop.path]).check(input: "label: gpt\n,,L\n")
            let d = try disk(loop)
            #expect(!d.available)
            #expect(d.messages == ["has a gpt partition table with 1 partition"])
            #expect(d.partitionTable?.type == "gpt")
            #expect(d.partitionTable?.partitions.first?.start == 1 << 20)
        }

        @Test func xfsFilesystem() throws {
            let loop = try LoopDisk()
            try Command("mkfs.xfs", ["-q", "-L", "data1", loop.path]).check()
            let d = try disk(loop)
            let uuid = try #require(d.signature?.uuid)
            #expect(d.messages == ["holds an xfs filesystem (UUID \(uuid), label data1)"])
            #expect(d.signature?.usage == "filesystem")
        }

        @Test func ext4Filesystem() throws {
            let loop = try LoopDisk()
            try Command("mkfs.ext4", ["-q", "-F", "-L", "home", loop.path]).check()
            let d = try disk(loop)
            #expect(d.codes == ["signature"])
            #expect(d.messages.first?.hasPrefix("holds an ext4 filesystem (UUID ") == true)
            #expect(d.signature?.label == "home")
        }

        @Test func swapSignatureAndSwapInUse() throws {
            let loop = try LoopDisk()
            try Command("mkswap", [loop.path]).check()
            var d = try disk(loop)
            #expect(d.codes == ["signature"])
            #expect(d.messages.first?.hasPrefix("holds a swap signature") == true)
            try Command("swapon", [loop.path]).check()
            defer { _ = try? Command("swapoff", [loop.path]).run() }
            d = try disk(loop)
            #expect(d.swapInUse)
            #expect(d.codes == ["swap-in-use", "signature"])
            #expect(d.messages.first == "swap in use")
        }

        @Test func mountedDisk() throws {
            let loop = try LoopDisk()
            try Command("mkfs.xfs", ["-q", loop.path]).check()
            let mountPoint = try Fixtures.directory("mnt")
            try Command("mount", [loop.path, mountPoint]).check()
            defer { _ = try? Command("umount", [mountPoint]).run() }
            let d = try disk(loop)
            #expect(d.mountPoints == [mountPoint])
            #expect(d.codes == ["mounted", "signature"])
            #expect(d.messages.first == "mounted at \(mountPoint)")
            #expect(d.exclusiveOpen == "busy")
        }

        @Test func readOnlyDisk() throws {
            let loop = try LoopDisk(readOnly: true)
            let d = try disk(loop)
            #expect(d.readOnly)
            #expect(d.messages == ["read-only"])
        }

        @Test func oldXfsAtOneMiBBehindAWipedTable() throws {
            let loop = try LoopDisk()
            try Command("sfdisk", ["-q", loop.path]).check(input: "label: gpt\n,,L\n")
            try Command("partx", ["-a", loop.path]).check()
            let part = try #require(loop.partitionNames.first)
            try Command("mkfs.xfs", ["-q", "-L", "old", "/dev/\(part)"]).check()
            let oldUUID = try Command("blkid", ["-p", "-s", "UUID", "-o", "value", "/dev/\(part)"]).check().stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try loop.forgetPartitions()
            try Command("wipefs", ["-q", "-a", loop.path]).check()  // the table goes, the filesystem stays
            let d = try disk(loop)
            #expect(d.partitionTable == nil && d.signature == nil)
            #expect(d.signatureAtPartitionStart?.type == "xfs")
            #expect(d.signatureAtPartitionStart?.uuid == oldUUID)
            #expect(d.messages == ["an old xfs filesystem (UUID \(oldUUID), label old) survives at the 1 MiB offset"])
        }

        @Test func tooSmallDisk() throws {
            let loop = try LoopDisk(size: 600 << 20)
            let d = try disk(loop)
            #expect(d.messages == ["smaller than 1G (600M)"])
        }

        @Test func listedInFstab() throws {
            let loop = try LoopDisk()
            try Command("mkfs.xfs", ["-q", loop.path]).check()
            let uuid = try Command("blkid", ["-p", "-s", "UUID", "-o", "value", loop.path]).check().stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try "# scratch\nUUID=\(uuid)\t/srv/x\txfs\tdefaults\t0 0\n".write(
                toFile: fstab, atomically: true, encoding: .utf8)
            let d = try disk(loop)
            #expect(d.codes == ["signature", "fstab"])
            #expect(d.messages.last == "listed in \(fstab) (UUID=\(uuid) on /srv/x)")
        }

        @Test func busyDiskHeldOpenExclusively() throws {
            let loop = try LoopDisk()
            // Another process holds the device with O_EXCL (as mkfs or a device mapper would).
            // It holds until its stdin closes (or SIGKILL), so the test never waits on a timer.
            let holder = try Command(
                "/usr/bin/python3",
                [
                    "-c",
                    "import os,sys; fd=os.open('\(loop.path)', os.O_RDONLY|os.O_EXCL); print('held', flush=True); sys.stdin.read()",
                ]
            ).spawn(stdin: .pipe, stdout: .pipe, stderr: .null)
            defer {
                holder.closeStandardInput()
                holder.terminate(grace: 5)
            }
            let ready = holder.readAvailable(timeout: 30)
            try #require(ready.contains("held"), "the O_EXCL holder did not start within 30 s")
            let d = try disk(loop)
            #expect(d.exclusiveOpen == "busy")
            #expect(d.messages == ["in use by another process (exclusive open failed)"])
        }

        /// libgfapi (and the ~14 libraries it pulls in) is loaded only by the commands that use it:
        /// `disks` and `prepare` work on a host with no Gluster installed, and start faster.
        @Test func theBinaryDoesNotLinkLibgfapi() throws {
            let dynamic = try Command("readelf", ["-d", Fixtures.brickctl]).check().stdout
            let needed = dynamic.split(separator: "\n").filter { $0.contains("(NEEDED)") }
            #expect(needed.contains { $0.contains("libblkid") })
            #expect(!needed.contains { $0.contains("gfapi") || $0.contains("glusterfs") }, "\(needed)")
        }

        @Test func rootDiskIsNotAvailable() throws {
            try Fixtures.requireRoot()
            let all = try disks([])
            let root = try #require(all.first { $0.holdsRootFilesystem }, "no device holds / in `brickctl disks`")
            #expect(!root.available)
            #expect(root.messages.first == "holds the root filesystem")
            // Asking by path gives the same verdict.
            let byPath = try disks([root.path])
            #expect(byPath.first?.messages.first == "holds the root filesystem")
        }

        @Test func tableFormListsEveryDeviceAligned() throws {
            let loop = try LoopDisk()
            try Command("mkfs.xfs", ["-q", "-L", "tbl", loop.path]).check()
            let out = try Fixtures.run(["disks", "--fstab", fstab])
            #expect(out.status == 0)
            let lines = out.stdout.split(separator: "\n").map(String.init)
            let header = try #require(lines.first)
            #expect(header.hasPrefix("NAME"))
            let row = try #require(lines.first { $0.hasPrefix(loop.name + " ") })
            #expect(row.contains("xfs") && row.contains("tbl") && row.contains("holds an xfs filesystem"))
            // Columns line up: AVAILABLE starts at the same offset in the header and the row.
            let column = try #require(header.range(of: "AVAILABLE")).lowerBound.utf16Offset(in: header)
            #expect(Array(row.utf16)[column...].starts(with: "no ".utf16))
        }

        @Test(arguments: [
            ("/dev/does-not-exist", "no such device"),
            ("/etc/hostname", "is a regular file, not a block device"),
            ("/dev/null", "is a character device, not a block device"),
            ("/tmp", "is a directory, not a block device"),
        ])
        func badArgumentsAreRefusedClearly(path: String, message: String) throws {
            let out = try Fixtures.run(["disks", path])
            #expect(out.status == 1)
            #expect(out.stderr.contains(message), "stderr: \(out.stderr)")
            #expect(out.stdout.isEmpty)
        }

        @Test func unknownFlagIsAUsageError() throws {
            let out = try Fixtures.run(["disks", "--frobnicate"])
            #expect(out.status == 2)
        }
    }
}
