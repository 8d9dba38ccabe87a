import Foundation
import HostIO
import Testing

/// A sparse image file attached as a loop device, made by a test and detached by it.
///
/// The only devices integration tests touch. `detach()` (also run by `deinit`) unmounts whatever is
/// still mounted from the device or its partitions, turns its swap off, detaches it and deletes the
/// image.
final class LoopDisk: @unchecked Sendable {
    let image: String
    let path: String
    var name: String { URL(fileURLWithPath: path).lastPathComponent }
    private var detached = false

    init(size: UInt64 = 1 << 30, readOnly: Bool = false, prepareImage: ((String) throws -> Void)? = nil) throws {
        try Fixtures.requireRoot()
        image = "\(Fixtures.scratch)/disk-\(UUID().uuidString.prefix(8)).img"
        try Command("truncate", ["-s", String(size), image]).check()
        try prepareImage?(image)
        let args = readOnly ? ["-f", "--show", "-r", image] : ["-f", "--show", image]
        path = try Command("losetup", args).check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { detach() }

    /// Kernel names of this disk's partitions, from sysfs.
    var partitionNames: [String] {
        let dir = "/sys/class/block/\(name)"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { FileManager.default.fileExists(atPath: "\(dir)/\($0)/partition") }.sorted()
    }

    /// Makes the kernel forget this disk's partitions (`partx -d`), as a reboot would on this kernel.
    ///
    /// A partition closed a moment ago can still be busy for the kernel (EBUSY right after mkfs or
    /// blkid exits), so this retries for a few seconds before it gives up with partx's message.
    func forgetPartitions() throws {
        let until = Date().addingTimeInterval(10)
        while !partitionNames.isEmpty {
            let out = try Command("partx", ["-d", path]).run()
            if out.status == 0 && partitionNames.isEmpty { return }
            guard Date() < until else {
                throw FixtureError("partx -d \(path) failed (exit \(out.status)): \(out.stderr)")
            }
            usleep(100_000)
        }
    }

    func detach() {
        guard !detached else { return }
        detached = true
        let devices = [path] + partitionNames.map { "/dev/\($0)" }
        for device in devices {
            _ = try? Command("swapoff", [device]).run()
        }
        // Unmount everything from this device, innermost first.
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        let numbers = Set(devices.compactMap { Fixtures.deviceNumber($0) })
        let targets = mounts.split(separator: "\n").compactMap { line -> String? in
            let f = line.split(separator: " ")
            return f.count > 4 && numbers.contains(String(f[2])) ? String(f[4]) : nil
        }
        for target in targets.reversed() {
            _ = try? Command("umount", [target.replacingOccurrences(of: "\\040", with: " ")]).run()
        }
        try? forgetPartitions()
        _ = try? Command("losetup", ["-d", path]).run()
        try? FileManager.default.removeItem(atPath: image)
    }
}

enum Fixtures {
    /// Images and mount points of integration tests.
    static let scratch: String = {
        let dir = ProcessInfo.processInfo.environment["BRICKCTL_TEST_SCRATCH"] ?? "/var/tmp/brickctl-tests"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func requireRoot() throws {
        guard getuid() == 0 else {
            throw FixtureError("integration tests need root (loop devices, mounts): run `scripts/test` as root")
        }
    }

    /// A fresh empty directory under the scratch folder.
    static func directory(_ name: String) throws -> String {
        let dir = "\(scratch)/\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// `MAJ:MIN` of a block device node.
    static func deviceNumber(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let rdev = UInt64(st.st_rdev)
        let major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~UInt64(0xfff))
        let minor = (rdev & 0xff) | ((rdev >> 12) & ~UInt64(0xff))
        return "\(major):\(minor)"
    }

    /// The built `brickctl` executable, next to the test bundle.
    static var brickctl: String {
        if let path = ProcessInfo.processInfo.environment["BRICKCTL_BIN"] { return path }
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("brickctl").path
    }

    /// Runs brickctl with `arguments`; never throws on a non-zero exit (tests check the status).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Command.Output {
        try Command(brickctl, arguments, environment: environment).run()
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
