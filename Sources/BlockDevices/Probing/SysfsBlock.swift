import Foundation
import Glibc

/// One entry of `/sys/class/block`, with the attributes every scan needs read once.
///
/// sysfs sizes are always in 512-byte units, whatever the device's sector size.
struct SysfsBlock: Sendable {
    let name: String
    /// `/sys/class/block/NAME`, resolved to its real directory under /sys/devices.
    let directory: String
    let number: DeviceNumber?
    /// The partition number when this is a partition.
    let partitionNumber: Int?
    let holders: [String]

    init(name: String, sysfsRoot: String) {
        self.name = name
        let link = "\(sysfsRoot)/class/block/\(name)"
        let directory =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: link)).map {
                $0.hasPrefix("/") ? $0 : URL(fileURLWithPath: "\(sysfsRoot)/class/block/\($0)").standardizedFileURL.path
            } ?? link
        self.directory = directory
        number = Self.read("\(directory)/dev").flatMap { DeviceNumber($0) }
        partitionNumber = Self.read("\(directory)/partition").flatMap { Int($0) }
        holders = ((try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/holders")) ?? []).sorted()
    }

    /// Every block device the kernel knows, read once.
    static func all(sysfsRoot: String) -> [SysfsBlock] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(sysfsRoot)/class/block")) ?? [])
            .map { SysfsBlock(name: $0, sysfsRoot: sysfsRoot) }
    }

    /// A sysfs attribute, trimmed; nil when missing or empty. open + read + close, nothing more:
    /// a scan reads about a thousand of these.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        let text = String(decoding: bytes[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    func attribute(_ path: String) -> String? { Self.read("\(directory)/\(path)") }

    func integer(_ path: String) -> UInt64? { attribute(path).flatMap { UInt64($0) } }

    func flag(_ path: String) -> Bool { attribute(path) == "1" }

    /// Size in bytes (`size` × 512).
    var sizeBytes: UInt64 { (integer("size") ?? 0) * 512 }

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
