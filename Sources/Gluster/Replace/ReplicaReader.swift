public import Foundation
import HostIO

/// Reads one copy of a replica set through the Gluster client itself: a FUSE mount of the
/// volume whose replica translator reads only from that copy (`--xlator-option
/// VOLUME-replicate-SET.read-subvolume-index=INDEX`, and `choose-local=off`), then a walk of the tree and `sha256sum` of a
/// sample. Works from any host of the pool (no login to the brick's host); meaningful once
/// nothing is pending heal (AFR reads from the chosen copy only while it is readable).
///
/// Runs `glusterfs` (the FUSE client), `sha256sum`, `umount` (argv, each with a deadline).
public struct ReplicaReader: Sendable {
    /// A host whose glusterd serves the volume file.
    public var server: String
    public var volume: String
    /// Where the temporary mount points go.
    public var scratch: String
    public var sampleSize: Int
    public var timeout: Double

    public init(
        server: String, volume: String, scratch: String = "/run/brickctl/replica-check", sampleSize: Int = 64,
        timeout: Double = 300
    ) {
        self.server = server
        self.volume = volume
        self.scratch = scratch
        self.sampleSize = sampleSize
        self.timeout = timeout
    }

    /// The manifest of copy `index` (0-based, in the set's order) of replica set `setIndex`.
    ///
    /// - Throws: `ReplicaReaderError` when the mount, the walk or the checksums fail.
    /// - Parameter changedSince: a file modified at or after this time is listed as changed, not
    ///   counted or sampled (the site writes during the check); nil: every file counts.
    public func manifest(setIndex: Int, index: Int, brick: BrickAddress, changedSince: Date? = nil) throws
        -> ReplicaManifest
    {
        let mountPoint = "\(scratch)/\(volume)-\(setIndex)-\(index)-\(getpid())"
        // AFR's choose-local (on by default) overrides read-subvolume-index with the local copy:
        // the client gets both.
        let replicate = "\(volume)-replicate-\(setIndex)"
        let client = ScratchClientMount(
            server: server, volume: volume, mountPoint: mountPoint,
            options: [
                "--xlator-option=\(replicate).read-subvolume-index=\(index)",
                "--xlator-option=\(replicate).choose-local=off",
            ])
        try client.mount(
            failed: { status, said in
                "the client for \(server):/\(volume) pinned to \(brick) failed (\(status)): \(said)"
            },
            notMounted: "the client pinned to \(brick) did not mount \(mountPoint) within 30 s")
        defer { client.unmount() }
        // The kernel shows the mount before the client has reached its bricks: a listing then
        // fails (ENOTCONN), and an enumerator would read that as an empty copy.
        let listable = monotonicSeconds() + 30
        while (try? FileManager.default.contentsOfDirectory(atPath: mountPoint)) == nil {
            guard monotonicSeconds() < listable else {
                throw ReplicaReaderError("copy \(brick): \(mountPoint) could not be listed within 30 s of mounting it")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let start = monotonicSeconds()
        var files: [String] = []
        var changed: [String] = []
        var directories = 0
        guard let walk = FileManager.default.enumerator(atPath: mountPoint) else {
            throw ReplicaReaderError("cannot list \(mountPoint) (copy \(brick))")
        }
        while let relative = walk.nextObject() as? String {
            if monotonicSeconds() - start > timeout {
                throw ReplicaReaderError("listing copy \(brick) took more than \(Int(timeout)) s")
            }
            if relative == ".trashcan" || relative.hasPrefix(".trashcan/") { continue }
            let type = walk.fileAttributes?[.type] as? FileAttributeType
            if type == .typeDirectory {
                directories += 1
            } else if type == .typeRegular {
                let modified = walk.fileAttributes?[.modificationDate] as? Date
                if let changedSince, let modified, modified >= changedSince {
                    changed.append("/" + relative)
                } else {
                    files.append(relative)
                }
            }
        }
        var sample: [String: String] = [:]
        let chosen = ReplicaManifest.samplePaths(files, size: sampleSize)
        if !chosen.isEmpty {
            let sums = try Command("sha256sum", ["--"] + chosen.map { "\(mountPoint)/\($0)" })
                .run(timeout: max(1, timeout - (monotonicSeconds() - start)))
            guard sums.status == 0 else {
                throw ReplicaReaderError("sha256sum on copy \(brick) failed: \(sums.stderr)")
            }
            for line in sums.stdout.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else { continue }
                var path = String(parts[1].drop { $0 == " " || $0 == "*" })
                if path.hasPrefix(mountPoint + "/") { path = String(path.dropFirst(mountPoint.count + 1)) }
                sample["/" + path] = String(parts[0].drop { $0 == "\\" })
            }
        }
        return ReplicaManifest(
            brick: brick, files: files.count, directories: directories, sample: sample,
            paths: files.map { "/" + $0 }.sorted(), changed: changed.sorted())
    }
}

public struct ReplicaReaderError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The filesystem type mounted at a path, from /proc/self/mountinfo.
enum MountCheck {
    static func fsType(at path: String) -> String? {
        guard let text = ProcFile.read("/proc/self/mountinfo") else { return nil }
        var found: String?
        for line in text.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            let fields = halves[0].split(separator: " ")
            guard fields.count > 4, halves.count > 1, fields[4] == path else { continue }
            found = halves[1].split(separator: " ").first.map(String.init)
        }
        return found
    }
}
