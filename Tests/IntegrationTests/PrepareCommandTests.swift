import Foundation
import HostIO
import Testing

extension Integration {
    /// `brickctl prepare`, `release` and `bricks activate` on real loop disks, checked with tools
    /// brickctl does not use (sfdisk, blkid, xfs_info, findmnt).
    @Suite struct PrepareCommandTests {
        @Test func blankDiskBecomesAMountedBrick() throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            let planned = try host.plan(disk)
            #expect(planned.label.range(of: #"^brick[0-9]+$"#, options: .regularExpression) != nil)
            #expect(planned.mountPoint == host.mountRoot + "/" + planned.label)
            let out = try host.brickctl(["prepare", disk.path])
            #expect(out.status == 0, "\(out.stderr)")
            let mountPoint = planned.mountPoint
            #expect(out.stdout.contains("brick: \(mountPoint)/brick"))

            // The partition table, read by sfdisk.
            let dump = try Command("sfdisk", ["--dump", disk.path]).check().stdout
            #expect(dump.contains("label: gpt"))
            let partLine = try #require(dump.split(separator: "\n").first { $0.contains("start=") })
            #expect(partLine.contains("start=        2048"))
            #expect(partLine.contains("type=0FC63DAF-8483-4772-8E79-3D69D8477DE4"))
            #expect(partLine.contains("name=\"brickctl-brick\""))
            let part = "/dev/" + (try #require(disk.partitionNames.first))

            // The filesystem, read by blkid and xfs_info.
            let blkid = try Command("blkid", ["-p", "-o", "export", part]).check().stdout
            #expect(blkid.contains("TYPE=xfs"))
            #expect(blkid.contains("LABEL=\(planned.label)\n"))
            let uuid = try #require(blkid.split(separator: "\n").first { $0.hasPrefix("UUID=") }).dropFirst(5)
            let info = try Command("xfs_info", [mountPoint]).check().stdout
            #expect(info.contains("isize=512"))
            #expect(info.range(of: #"naming\s+=version 2\s+bsize=8192"#, options: .regularExpression) != nil)

            // fstab by UUID, and the mount, read by findmnt.
            let line = try #require(host.fstabText.split(separator: "\n").first { $0.hasPrefix("UUID=") })
            #expect(
                line.split(whereSeparator: { $0 == " " || $0 == "\t" }) == [
                    "UUID=\(uuid)", Substring(mountPoint), "xfs", "rw,inode64,noatime,nofail", "0", "0",
                ])
            #expect(host.fstabText.hasPrefix("# scratch fstab\nproc /proc proc defaults 0 0\n"))
            let mounted = try #require(try host.findmnt(part))
            #expect(mounted.target == mountPoint)
            #expect(mounted.options.contains("noatime") && mounted.options.contains("inode64"))
            var isDir: ObjCBool = false
            #expect(
                FileManager.default.fileExists(atPath: mountPoint + "/brick", isDirectory: &isDir) && isDir.boolValue)

            // `disks` recognises it as a brick.
            let disks = try DisksJSON.decode(try host.brickctl(["disks", "--json", disk.path]).stdout).devices
            #expect(disks.first?.brick?.mountPoint == mountPoint)
            #expect(disks.first?.brick?.brickDirectory == mountPoint + "/brick")
            #expect(disks.first?.codes.first == "brick")
        }

        @Test func secondRunChangesNothing() throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            let planned = try host.plan(disk)
            #expect(try host.brickctl(["prepare", disk.path]).status == 0)
            let fstabBefore = host.fstabText
            let mtimeBefore = host.fstabModified
            let bytesBefore = try disk.fingerprint()
            let again = try host.brickctl(["prepare", disk.path, "--json"])
            #expect(again.status == 0)
            #expect(again.stdout.contains("\"status\" : \"already-prepared\""))
            #expect(host.fstabText == fstabBefore)
            #expect(host.fstabModified == mtimeBefore)
            #expect(try disk.fingerprint() == bytesBefore)
            let text = try host.brickctl(["prepare", disk.path])
            #expect(text.stdout.contains("is already brick \(planned.label)"))
        }

        @Test(arguments: [
            "partition", "add-kernel-partition", "clear-partition", "mkfs", "fstab", "mkdir-mount-point", "mount",
        ])
        func interruptedRunIsCompletedWithoutFormattingAgain(crashAfter step: String) throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            let planned = try host.plan(disk)
            let crashed = try host.brickctl(["prepare", disk.path], extra: ["BRICKCTL_TEST_CRASH_AFTER": step])
            #expect(crashed.status == 128 + 9, "the run should have been killed after \(step)")
            try Command("blockdev", ["--flushbufs", disk.path]).check()
            let uuidAfterCrash = try Command(
                "blkid", ["-p", "-s", "UUID", "-o", "value", "--offset", "1048576", disk.path]
            ).run().stdout
            let resumed = try host.brickctl(["prepare", disk.path, "--json"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.contains("\"status\" : \"prepared\""))
            let ranMkfs = resumed.stdout.contains("\"name\" : \"mkfs\"")
            if ["mkfs", "fstab", "mkdir-mount-point", "mount"].contains(step) {
                #expect(!ranMkfs, "resuming after \(step) must not format again")
                try Command("blockdev", ["--flushbufs", disk.path]).check()
                let uuidNow = try Command(
                    "blkid", ["-p", "-s", "UUID", "-o", "value", "--offset", "1048576", disk.path]
                ).run().stdout
                #expect(uuidNow == uuidAfterCrash && !uuidNow.isEmpty)
            }
            let part = "/dev/" + (try #require(disk.partitionNames.first))
            #expect(try host.findmnt(part)?.target == planned.mountPoint)
            #expect(
                host.fstabText.components(separatedBy: "UUID=").count == 2, "exactly one fstab line:\n\(host.fstabText)"
            )
            #expect(try host.brickctl(["prepare", disk.path, "--json"]).stdout.contains("already-prepared"))
        }

        @Test func failedMountRollsTheFstabBack() throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            let fstabBefore = host.fstabText
            // A real mount failure: an option XFS rejects.
            let failed = try host.brickctl(
                ["prepare", disk.path], extra: ["BRICKCTL_TEST_MOUNT_OPTIONS": "no-such-xfs-option"])
            #expect(failed.status == 1)
            #expect(
                failed.stderr.contains("failed") && failed.stderr.contains("the fstab entry was removed again"),
                "\(failed.stderr)")
            #expect(host.fstabText == fstabBefore)
            let part = "/dev/" + (try #require(disk.partitionNames.first))
            #expect(try host.findmnt(part) == nil)
            // The next run finishes the brick without formatting again.
            let resumed = try host.brickctl(["prepare", disk.path, "--json"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(!resumed.stdout.contains("\"name\" : \"mkfs\""))
            #expect(try host.findmnt(part) != nil)
        }

        @Test func brickComesBackAfterAReboot() throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            let mountPoint = try host.plan(disk).mountPoint
            #expect(try host.brickctl(["prepare", disk.path]).status == 0)
            try "survives\n".write(toFile: mountPoint + "/brick/marker", atomically: true, encoding: .utf8)
            // A remount from fstab alone works.
            try Command("umount", [mountPoint]).check()
            try Command("mount", ["--fstab", host.fstab, mountPoint]).check()
            // A "reboot": unmounted, and the kernel forgot the partition (it cannot parse the table).
            try Command("umount", [mountPoint]).check()
            try disk.forgetPartitions()
            #expect(disk.partitionNames.isEmpty)
            let out = try host.brickctl(["bricks", "activate"])
            #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
            #expect(out.stdout.contains("add-kernel-partition, mount"))
            #expect(try String(contentsOfFile: mountPoint + "/brick/marker", encoding: .utf8) == "survives\n")
            let again = try host.brickctl(["bricks", "activate"])
            #expect(again.stdout.contains("already active"))
        }

        /// Each refusal leaves the disk byte-identical and fstab untouched.
        @Test(arguments: ["mounted", "ext4", "gpt", "old-xfs", "swap", "swap-in-use", "read-only", "too-small"])
        func refusalWritesNothing(state: String) throws {
            let host = try BrickHost()
            let disk = try LoopDisk(size: state == "too-small" ? 700 << 20 : 1 << 30, readOnly: state == "read-only")
            var cleanup: [() -> Void] = []
            defer { for step in cleanup { step() } }
            var expected = ""
            switch state {
            case "mounted":
                try Command("mkfs.xfs", ["-q", disk.path]).check()
                let mnt = try Fixtures.directory("mnt")
                try Command("mount", [disk.path, mnt]).check()
                cleanup.append { _ = try? Command("umount", [mnt]).run() }
                expected = "mounted at \(mnt)"
            case "ext4":
                try Command("mkfs.ext4", ["-q", "-F", disk.path]).check()
                expected = "holds an ext4 filesystem"
            case "gpt":
                try Command("sfdisk", ["-q", disk.path]).check(input: "label: gpt\n,,L\n")
                expected = "has a gpt partition table with 1 partition"
            case "old-xfs":
                try Command("sfdisk", ["-q", disk.path]).check(input: "label: gpt\n,,L\n")
                try Command("partx", ["-a", disk.path]).check()
                try Command("mkfs.xfs", ["-q", "/dev/" + (try #require(disk.partitionNames.first))]).check()
                try disk.forgetPartitions()
                try Command("wipefs", ["-q", "-a", disk.path]).check()
                expected = "an old xfs filesystem"
            case "swap":
                try Command("mkswap", [disk.path]).check()
                expected = "holds a swap signature"
            case "swap-in-use":
                try Command("mkswap", [disk.path]).check()
                try Command("swapon", [disk.path]).check()
                cleanup.append { _ = try? Command("swapoff", [disk.path]).run() }
                expected = "swap in use"
            case "read-only":
                expected = "read-only"
            default:
                expected = "smaller than 1G"
            }
            let before = try disk.fingerprint()
            let fstabBefore = host.fstabText
            for extra in [[], ["--wipe"]] {
                let out = try host.brickctl(["prepare", disk.path] + extra)
                let wipeable = ["ext4", "gpt", "old-xfs", "swap"].contains(state)
                if wipeable && !extra.isEmpty { continue }  // --wipe may destroy these: tested elsewhere
                #expect(out.status == 1, "\(state) \(extra): \(out.stdout)")
                #expect(out.stderr.hasPrefix("brickctl: refusing \(disk.path): "))
                #expect(out.stderr.contains(expected), "\(out.stderr)")
                if wipeable { #expect(out.stderr.contains("pass --wipe to destroy")) }
                #expect(try disk.fingerprint() == before, "\(state): the disk changed")
                #expect(host.fstabText == fstabBefore)
            }
        }

        @Test func rootDiskIsRefused() throws {
            let host = try BrickHost()
            let all = try DisksJSON.decode(try host.brickctl(["disks", "--json"]).stdout).devices
            let root = try #require(all.first { $0.holdsRootFilesystem })
            let fstabBefore = host.fstabText
            for extra in [[], ["--wipe"]] {
                let out = try host.brickctl(["prepare", root.path] + extra)
                #expect(out.status == 1)
                #expect(out.stderr.contains("holds the root filesystem"))
                #expect(out.stderr.contains("brickctl never touches it"))
            }
            #expect(host.fstabText == fstabBefore)
        }

        @Test func wipeDestroysOldSignaturesButNeverMountedDisks() throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            try Command("sfdisk", ["-q", disk.path]).check(input: "label: dos\n,200M,83\n,,83\n")
            try Command("partx", ["-a", disk.path]).check()
            let second = "/dev/" + (try #require(disk.partitionNames.last))
            try Command("mkfs.ext4", ["-q", "-F", second]).check()
            let out = try host.brickctl(["prepare", disk.path, "--wipe"])
            #expect(out.status == 0, "\(out.stderr)")
            let dump = try Command("sfdisk", ["--dump", disk.path]).check().stdout
            #expect(dump.contains("label: gpt"))
            #expect(disk.partitionNames.count == 1)
            // The old ext4 inside the old second partition is gone: only our XFS is found anywhere.
            let found = try Command(
                "blkid", ["-p", "-o", "value", "-s", "TYPE", "--offset", String(201 << 20), disk.path]
            ).run()
            #expect(!found.stdout.contains("ext4"))
            // Mounted now: --wipe does not override that.
            let again = try host.brickctl(["prepare", disk.path, "--wipe", "--label", "other"])
            #expect(again.status == 1)
        }

        @Test func releaseKeepsTheDataAndPrepareBringsItBack() throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            let mountPoint = try host.plan(disk).mountPoint
            #expect(try host.brickctl(["prepare", disk.path]).status == 0)
            try "data\n".write(toFile: mountPoint + "/brick/file", atomically: true, encoding: .utf8)
            let out = try host.brickctl(["release", mountPoint])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(!host.fstabText.contains("UUID="))
            #expect(host.fstabText == "# scratch fstab\nproc /proc proc defaults 0 0\n")
            let part = "/dev/" + (try #require(disk.partitionNames.first))
            #expect(try host.findmnt(part) == nil)
            // Prepare again: no mkfs, the file is still there.
            let again = try host.brickctl(["prepare", disk.path, "--json"])
            #expect(!again.stdout.contains("\"name\" : \"mkfs\""))
            #expect(try String(contentsOfFile: mountPoint + "/brick/file", encoding: .utf8) == "data\n")
            // Release --wipe: nothing left for blkid to find.
            let wiped = try host.brickctl(["release", disk.path, "--wipe"])
            #expect(wiped.status == 0, "\(wiped.stderr)")
            #expect(try Command("blkid", ["-p", disk.path]).run().status == 2)
            #expect(try Command("blkid", ["-p", "--offset", "1048576", disk.path]).run().status == 2)
            let disks = try DisksJSON.decode(try host.brickctl(["disks", "--json", disk.path]).stdout).devices
            #expect(disks.first?.available == true)
        }

        @Test func releaseRefusesABrickOfAGlusterVolume() throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            let mountPoint = try host.plan(disk).mountPoint
            #expect(try host.brickctl(["prepare", disk.path]).status == 0)
            let brick = mountPoint + "/brick/gv0"
            try FileManager.default.createDirectory(atPath: brick, withIntermediateDirectories: true)
            // What glusterd sets on every brick of a volume.
            try Command(
                "python3",
                ["-c", "import os,sys; os.setxattr(sys.argv[1], 'trusted.glusterfs.volume-id', bytes(16))", brick]
            ).check()
            let fstabBefore = host.fstabText
            let out = try host.brickctl(["release", disk.path, "--wipe"])
            #expect(out.status == 1)
            #expect(out.stderr.contains("belongs to a Gluster volume"))
            #expect(host.fstabText == fstabBefore)
            #expect(try host.findmnt("/dev/" + (try #require(disk.partitionNames.first)))?.target == mountPoint)
        }

        @Test(arguments: [("/dev/nope", "no such device"), ("/etc/hostname", "is a regular file")])
        func badDeviceArguments(path: String, message: String) throws {
            let host = try BrickHost()
            let out = try host.brickctl(["prepare", path])
            #expect(out.status == 1)
            #expect(out.stderr.contains(message))
        }

        @Test func twoRunsAtOnceMakeOneBrick() throws {
            let host = try BrickHost()
            let disk = try LoopDisk()
            let runs = try [0, 1].map { _ in
                try Command(Fixtures.brickctl, ["prepare", disk.path], environment: host.environment)
                    .spawn(stdout: .null, stderr: .null)
            }
            let results = try runs.map { try $0.wait(timeout: 300) }
            #expect(results.allSatisfy { $0 == 0 }, "\(results)")
            #expect(host.fstabText.components(separatedBy: "UUID=").count == 2)
            #expect(disk.partitionNames.count == 1)
        }
    }
}
