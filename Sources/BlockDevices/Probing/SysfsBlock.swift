import Foundation

/// One entry of `/sys/class/block`, read attribute by attribute.
///
/// sysfs sizes are always in 512-byte units, whatever the device's sector size.
struct SysfsBlock {
    let name: String
    /// `/sys/class/block/NAME`, resolved to its real directory under /sys/devices.
    let directory: String

    init(name: String, sysfsRoot: String) {
        self.name = name
        let link = "\(sysfsRoot)/class/block/\(name)"
        self.directory = (try? FileManager.default.destinationOfSymbolicLink(atPath: link)).map {
            $0.hasPrefix("/") ? $0 : URL(fileURLWithPath: "\(sysfsRoot)/class/block/\($0)").standardizedFileURL.path
        } ?? link
    }

    /// The names of every block device the kernel knows.
    static func all(sysfsRoot: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: "\(sysfsRoot)/class/block")) ?? []
    }

    func attribute(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(path)") else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    func integer(_ path: String) -> UInt64? { attribute(path).flatMap { UInt64($0) } }

    func flag(_ path: String) -> Bool { attribute(path) == "1" }

    var number: DeviceNumber? { attribute("dev").flatMap { DeviceNumber($0) } }

    /// Size in bytes (`size` × 512).
    var sizeBytes: UInt64 { (integer("size") ?? 0) * 512 }

    /// The partition number when this is a partition.
    var partitionNumber: Int? { attribute("partition").flatMap { Int($0) } }

    /// The disk a partition belongs to: the parent directory in /sys/devices.
    var parentName: String? {
        guard partitionNumber != nil else { return nil }
        return URL(fileURLWithPath: directory).deletingLastPathComponent().lastPathComponent
    }

    /// `DEVNAME` from uevent: the node's name under /dev.
    var devName: String {
        attribute("uevent")?.split(separator: "\n").first { $0.hasPrefix("DEVNAME=") }
            .map { String($0.dropFirst("DEVNAME=".count)) } ?? name
    }

    var holders: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/holders")) ?? []).sorted()
    }

    /// Partitions of this disk the kernel has created, by name.
    var partitionNames: [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { FileManager.default.fileExists(atPath: "\(directory)/\($0)/partition") }
    }

    var kind: BlockDevice.Kind {
        if partitionNumber != nil { return .partition }
        if name.hasPrefix("loop") { return .loop }
        if name.hasPrefix("zram") { return .zram }
        if name.hasPrefix("ram") { return .ram }
        if name.hasPrefix("dm-") { return .dm }
        if name.hasPrefix("md") { return .md }
        if name.hasPrefix("sr") { return .rom }
        return .disk
    }
}
