import Foundation
public import Stack

/// Brings a brickctl snapshot back into a folder: `restic restore`, then the dump found where the
/// snapshot's paths say and its sha256 checked.
public struct SnapshotRestore: Sendable {
    public var restic: Restic
    public var stack: String

    public init(restic: Restic, stack: String) {
        self.restic = restic
        self.stack = stack
    }

    public struct Result: Codable, Equatable, Sendable {
        public var snapshot: String
        public var stack: String?
        /// The restored dump's path.
        public var dump: String
        public var dumpTime: String
        public var dumpSha256: String
        /// The restored shared files' folder, nil when the snapshot holds none.
        public var files: String?
    }

    /// The snapshot `id` (or the stack's newest for `latest`).
    /// - Throws: `BackupError.noSnapshot`.
    public func find(_ id: String) throws(BackupError) -> BackupSnapshot {
        let all = try restic.snapshots(tags: [BackupSnapshot.marker])
        if id == "latest" {
            guard let newest = all.filter({ $0.stack == stack }).max(by: { $0.time < $1.time }) else {
                throw .noSnapshot(stack: stack, id: nil)
            }
            return newest
        }
        guard let found = all.first(where: { $0.id == id || $0.short_id == id || $0.id.hasPrefix(id) }) else {
            throw .noSnapshot(stack: nil, id: id)
        }
        return found
    }

    /// Restores `id` into `target` (made if missing). Blocking: call it off the cooperative pool.
    /// - Throws: `BackupError` (no such snapshot, no dump in it, a dump that fails its sha256).
    public func run(snapshot id: String, target: String, timeout: Double) throws(BackupError) -> Result {
        let snapshot = try find(id)
        guard let dumpName = snapshot.dump, let dump = DumpFile(name: dumpName),
            let databaseFolder = snapshot.paths.first(where: { $0.hasSuffix("/database") })
        else { throw .snapshotWithoutDump(snapshot: snapshot.short_id) }
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } catch {
            throw .notAFolder(target)
        }
        try restic.restore(snapshot: snapshot.id, target: target, timeout: timeout)
        let dumpPath = "\(target)\(databaseFolder)/\(dump.name)"
        guard FileManager.default.fileExists(atPath: dumpPath) else {
            throw .snapshotWithoutDump(snapshot: snapshot.short_id)
        }
        let sha = try DumpFolder.verify(file: dumpPath, checksumFile: "\(target)\(databaseFolder)/\(dump.checksumName)")
        let files = snapshot.paths.first { $0 != databaseFolder }.map { "\(target)\($0)" }
        return Result(
            snapshot: snapshot.id, stack: snapshot.stack, dump: dumpPath, dumpTime: dump.time, dumpSha256: sha,
            files: files)
    }
}
