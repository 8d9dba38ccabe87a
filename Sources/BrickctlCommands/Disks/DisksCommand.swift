import ArgumentParser
import BlockDevices
import Foundation
import Fstab

/// `brickctl disks [DEVICE...] [--json] [--all]`: every block device and whether it may become a brick.
struct DisksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disks",
        abstract: "List block devices and whether each is safe to turn into a brick, and why not.",
        discussion: """
            Signatures come from libblkid's low-level probe (never from lsblk or udev), mounts from \
            mountinfo, swap from /proc/swaps, references from fstab ($BRICKCTL_FSTAB or /etc/fstab).
            """
    )

    @Argument(help: "Devices to show (default: all).")
    var devices: [String] = []

    @Flag(help: "Print JSON (stable shape, see README.md).")
    var json = false

    @Flag(help: "Also show ram/zram devices, detached loop devices and empty drives.")
    var all = false

    @Option(help: "The fstab to check for references.")
    var fstab: String = FstabStore.defaultPath

    func run() throws {
        let inventory = DeviceInventory(fstabPath: fstab, convention: .current)
        let found: [BlockDevice]
        if devices.isEmpty {
            found = inventory.scan(includeHidden: all)
        } else {
            found = try devices.map { path in try inventory.device(at: path) }
        }
        let rules = AvailabilityRules(fstabPath: fstab)
        let reports = found.map { DiskReport($0, rules: rules) }
        if json {
            print(try JSONOutput.encode(["devices": reports]))
        } else {
            print(DisksTable.render(reports), terminator: "")
        }
    }
}

/// The people's form of `brickctl disks`: a tree like lsblk, one line per device.
enum DisksTable {
    static func render(_ reports: [DiskReport]) -> String {
        var table = TextTable(
            ["NAME", "SIZE", "TYPE", "FSTYPE", "LABEL", "MOUNTPOINT", "AVAILABLE", "WHY NOT"], rightAligned: [1])
        for report in reports {
            add(report, prefix: "", to: &table)
            for (i, part) in report.partitions.enumerated() {
                add(part, prefix: i == report.partitions.count - 1 ? "└─" : "├─", to: &table)
            }
            // On-disk partitions the kernel has no node for (this kernel cannot parse tables).
            for entry in report.device.partitionTable?.partitions ?? [] where entry.device == nil {
                table.add([
                    "└╌(\(entry.number), no node)", ByteCount(entry.size).description, "part",
                    entry.signature?.type ?? "", entry.signature?.label ?? "", "", "", "",
                ])
            }
        }
        return table.render()
    }

    private static func add(_ report: DiskReport, prefix: String, to table: inout TextTable) {
        let d = report.device
        let fsType = d.signature?.type ?? d.partitionTable?.type ?? (d.ambiguousSignature ? "ambiguous" : "")
        let label = d.signature?.label ?? d.brick?.label ?? ""
        let mount = d.mountPoints.first ?? d.brick?.mountPoint ?? ""
        let why = report.availability.reasons.map { $0.commandLineMessage(for: d) }.joined(separator: "; ")
        table.add([
            prefix + d.name, ByteCount(d.size).description, d.kind == .partition ? "part" : d.kind.rawValue,
            fsType, label, mount, report.availability.available ? "yes" : "no", why,
        ])
    }
}
