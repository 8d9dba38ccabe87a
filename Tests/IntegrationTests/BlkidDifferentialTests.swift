import Foundation
import HostIO
import Testing

/// brickctl's libblkid probing agrees with `blkid -p` (the reference tool) on TYPE, UUID, LABEL and
/// PTTYPE, on every kind of device the verdict tests make and on every device of the machine.
extension Integration {
    @Suite struct BlkidDifferentialTests {
        /// `blkid -p -o export DEV` as a dictionary (empty when blkid finds nothing).
        func reference(_ path: String) throws -> [String: String] {
            let out = try Command("blkid", ["-p", "-o", "export", path]).run()
            var values: [String: String] = [:]
            for line in out.stdout.split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                values[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
            return values
        }

        func compare(_ device: DisksJSON.Device) throws -> Int {
            let ref = try reference(device.path)
            if ref.isEmpty, device.probeError != nil || device.exclusiveOpen.hasPrefix("failed") {
                return 0  // neither tool can read it (e.g. the sandboxed root disk)
            }
            #expect(device.signature?.type == ref["TYPE"], "\(device.path) TYPE")
            #expect(device.signature?.uuid == ref["UUID"], "\(device.path) UUID")
            #expect(device.signature?.label == ref["LABEL"], "\(device.path) LABEL")
            #expect(device.partitionTable?.type == ref["PTTYPE"], "\(device.path) PTTYPE")
            #expect(device.partitionTable?.id == ref["PTUUID"], "\(device.path) PTUUID")
            return 1
        }

        @Test func agreesWithBlkidOnEveryKindOfDevice() throws {
            var disks: [LoopDisk] = []
            defer { for disk in disks { disk.detach() } }
            let blank = try LoopDisk()
            disks.append(blank)
            let gpt = try LoopDisk()
            disks.append(gpt)
            try Command("sfdisk", ["-q", gpt.path]).check(input: "label: gpt\n,512M,L\n,,L\n")
            let dos = try LoopDisk()
            disks.append(dos)
            try Command("sfdisk", ["-q", dos.path]).check(input: "label: dos\n,,83\n")
            let xfs = try LoopDisk()
            disks.append(xfs)
            try Command("mkfs.xfs", ["-q", "-L", "x1", xfs.path]).check()
            let ext4 = try LoopDisk()
            disks.append(ext4)
            try Command("mkfs.ext4", ["-q", "-F", "-L", "e1", ext4.path]).check()
            let swap = try LoopDisk()
            disks.append(swap)
            try Command("mkswap", ["-L", "s1", swap.path]).check()
            let small = try LoopDisk(size: 600 << 20)
            disks.append(small)
            try Command("mkfs.xfs", ["-q", small.path]).check()
            let ro = try LoopDisk(
                readOnly: true,
                prepareImage: { image in
                    try Command("mkfs.ext4", ["-q", "-F", "-L", "ro1", image]).check()
                })
            disks.append(ro)

            let out = try Fixtures.run(["disks", "--json", "--all"])
            #expect(out.status == 0)
            let all = try DisksJSON.decode(out.stdout).devices
            var compared = 0
            for loop in disks {
                let device = try #require(all.first { $0.path == loop.path }, "\(loop.path) missing from disks")
                compared += try compare(device)
            }
            #expect(compared == disks.count)
            // Every other device of the machine too, whatever it holds.
            for device in all where !disks.contains(where: { $0.path == device.path }) {
                _ = try compare(device)
            }
            // The two partitions of the GPT disk are read from the disk, not from kernel nodes.
            let gptDevice = try #require(all.first { $0.path == gpt.path })
            #expect(gptDevice.partitionTable?.partitions.map(\.number) == [1, 2])
            #expect(gptDevice.partitionTable?.partitions.first?.size == 512 << 20)
        }
    }
}
