import Foundation
import HostIO
import Testing

/// A scratch "host" for prepare tests: its own fstab file and mount root, so tests never touch
/// /etc/fstab or /data. Unmounts what is left under its root when done.
final class BrickHost: @unchecked Sendable {
    let root: String
    let fstab: String
    let mountRoot: String

    init() throws {
        try Fixtures.requireRoot()
        root = try Fixtures.directory("host")
        fstab = root + "/fstab"
        mountRoot = root + "/data"
        try "# scratch fstab\nproc /proc proc defaults 0 0\n".write(toFile: fstab, atomically: true, encoding: .utf8)
    }

    deinit {
        let mounts = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        for line in mounts.split(separator: "\n").reversed() {
            let f = line.split(separator: " ")
            if f.count > 4, f[4].hasPrefix(root) { _ = try? Command("umount", [String(f[4])]).run() }
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    var environment: [String: String] { ["BRICKCTL_FSTAB": fstab, "BRICKCTL_MOUNT_ROOT": mountRoot] }

    func brickctl(_ arguments: [String], extra: [String: String] = [:]) throws -> Command.Output {
        try Fixtures.run(arguments, environment: environment.merging(extra) { $1 })
    }

    /// What `prepare --dry-run --json` plans for `disk`: the label (the first free brickN on this
    /// machine, where lab nodes' disks may already use brick1) and the mount point.
    func plan(_ disk: LoopDisk) throws -> (label: String, mountPoint: String) {
        let out = try brickctl(["prepare", disk.path, "--dry-run", "--json"])
        guard out.status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any],
            let label = json["label"] as? String, let mountPoint = json["mountPoint"] as? String
        else { throw FixtureError("prepare --dry-run failed: \(out.stderr)") }
        return (label, mountPoint)
    }

    var fstabText: String { (try? String(contentsOfFile: fstab, encoding: .utf8)) ?? "" }

    var fstabModified: Date? {
        (try? FileManager.default.attributesOfItem(atPath: fstab))?[.modificationDate] as? Date
    }

    /// The target a device is mounted at, per findmnt (a tool brickctl does not use).
    func findmnt(_ source: String) throws -> (target: String, options: String)? {
        let out = try Command("findmnt", ["-n", "-r", "-o", "TARGET,OPTIONS", "--source", source]).run()
        guard out.succeeded, let line = out.stdout.split(separator: "\n").first else { return nil }
        let f = line.split(separator: " ")
        return (String(f[0]), f.count > 1 ? String(f[1]) : "")
    }
}

extension LoopDisk {
    /// The bytes where partition tables, superblocks and GPT backups live: the first 4 MiB, 64 KiB
    /// at the 1 MiB offset, and the last MiB of the image. Equal fingerprints = nothing was written.
    func fingerprint() throws -> [Data] {
        _ = try Command("sync", []).run()
        let size = (try FileManager.default.attributesOfItem(atPath: image)[.size] as? UInt64) ?? 0
        let ranges: [(UInt64, Int)] = [(0, 4 << 20), (1 << 20, 64 << 10), (size - (1 << 20), 1 << 20)]
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: image))
        defer { try? handle.close() }
        return try ranges.map { offset, length in
            try handle.seek(toOffset: offset)
            return try handle.read(upToCount: length) ?? Data()
        }
    }
}
