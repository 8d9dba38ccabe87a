internal import CLinux
import Foundation
import Glibc
import HostIO

/// Tells the kernel about partitions one by one with BLKPG, and checks it listened.
///
/// This kernel cannot parse partition tables (BLKRRPART "succeeds" and creates nothing), and there
/// is no udev; BLKPG_ADD_PARTITION works, and devtmpfs creates the node before the ioctl returns.
/// Success is only believed once sysfs shows the partition with the start and size on disk.
/// The corresponding C function is `ioctl(BLKPG)`.
public struct KernelPartitions: Sendable {
    public var sysfsRoot = "/sys"
    /// How long to wait for sysfs and /dev to show a new partition.
    public var deadline: Double = 5

    public init() {}

    /// The kernel's partitions of `disk` (kernel name): number → (name, start bytes, size bytes).
    public func current(disk: String) -> [Int: (name: String, start: UInt64, size: UInt64)] {
        let dir = "\(sysfsRoot)/class/block/\(disk)"
        var result: [Int: (String, UInt64, UInt64)] = [:]
        for child in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            guard let number = read("\(dir)/\(child)/partition").flatMap({ Int($0) }) else { continue }
            let start = (read("\(dir)/\(child)/start").flatMap { UInt64($0) } ?? 0) * 512
            let size = (read("\(dir)/\(child)/size").flatMap { UInt64($0) } ?? 0) * 512
            result[number] = (child, start, size)
        }
        return result
    }

    /// Removes partition `number` of the disk open at `fd`.
    ///
    /// A partition closed a moment ago (mkfs, blkid just exited) can be busy for a little while, so
    /// EBUSY is retried for up to a second before it is believed.
    ///
    /// - Throws: `PrepareError` (`.kernel`) when the kernel refuses (EBUSY: it is mounted or held).
    public func remove(number: Int, diskFD fd: Int32, disk: String) throws {
        let until = monotonicSeconds() + 1
        while brickctl_blkpg_del_partition(fd, Int32(number)) != 0 {
            let err = errno
            if err == ENXIO { return }  // already gone
            if err == EBUSY && monotonicSeconds() < until {
                usleep(50_000)
                continue
            }
            throw PrepareError(
                .kernel, "cannot remove partition \(number) of \(disk) from the kernel", cause: .errno(err),
                advice: err == EBUSY ? "it is mounted or in use: unmount it first" : nil)
        }
    }

    /// Adds partition `number` (byte `start`, `size`) of the disk open at `fd`, waits for sysfs and
    /// /dev to show it, and returns the partition's device path.
    ///
    /// - Throws: `PrepareError` (`.kernel`) when the kernel refuses or shows something else than the table.
    public func add(number: Int, start: UInt64, size: UInt64, diskFD fd: Int32, disk: String) throws -> String {
        if let existing = current(disk: disk)[number] {
            guard existing.start == start, existing.size == size else {
                throw PrepareError(
                    .kernel,
                    "the kernel has partition \(existing.name) at \(existing.start)+\(existing.size) bytes, the disk says \(start)+\(size)",
                    advice: "remove it first")
            }
            return try waitForNode(existing.name)
        }
        guard brickctl_blkpg_add_partition(fd, Int32(number), Int64(start), Int64(size)) == 0 else {
            throw PrepareError(
                .kernel, "the kernel refused partition \(number) of \(disk) (BLKPG)", cause: .errno(errno))
        }
        let until = monotonicSeconds() + deadline
        while monotonicSeconds() < until {
            if let shown = current(disk: disk)[number] {
                guard shown.start == start, shown.size == size else {
                    throw PrepareError(
                        .kernel,
                        "the kernel shows \(shown.name) at \(shown.start)+\(shown.size) bytes, not \(start)+\(size)")
                }
                return try waitForNode(shown.name, until: until)
            }
            usleep(10_000)
        }
        throw PrepareError(.kernel, "partition \(number) of \(disk) did not appear in sysfs within \(Int(deadline)) s")
    }

    /// The /dev node named by the partition's uevent, once it exists.
    private func waitForNode(_ name: String, until: Double? = nil) throws -> String {
        let devName =
            read("\(sysfsRoot)/class/block/\(name)/uevent")?.split(separator: "\n")
            .first { $0.hasPrefix("DEVNAME=") }.map { String($0.dropFirst(8)) } ?? name
        let path = "/dev/\(devName)"
        let until = until ?? monotonicSeconds() + deadline
        repeat {
            var st = stat()
            if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFBLK { return path }
            usleep(10_000)
        } while monotonicSeconds() < until
        throw PrepareError(.kernel, "\(path) did not appear within \(Int(deadline)) s (is devtmpfs mounted on /dev?)")
    }

    private func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
