import Foundation
public import HostIO
public import Stack

/// `brickctl backup create`: one restic snapshot holding a verified database dump of the stack
/// and the site's shared files, tagged with the stack, the dump's name and time.
///
/// The dump is copied (and verified again) into a fixed staging folder, so every snapshot of a
/// stack has the same paths and host name: restic then finds the previous snapshot as the parent
/// and rescans only what changed, and `forget` groups them together.
public struct BackupCreation: Sendable {
    public var restic: Restic
    public var stack: String
    public var dumps: DumpFolder
    /// The site's shared files (wp-content or uploads), nil: only the database.
    public var files: String?
    /// Where the dump is staged (`/var/lib/brickctl/backup/STACK`).
    public var stagingRoot: String
    /// The site's WordPress version (a `wordpress=` tag), nil when unknown.
    public var wordpressVersion: String?

    public init(
        restic: Restic, stack: String, dumps: DumpFolder, files: String?, stagingRoot: String,
        wordpressVersion: String? = nil
    ) {
        self.wordpressVersion = wordpressVersion
        self.restic = restic
        self.stack = stack
        self.dumps = dumps
        self.files = files
        self.stagingRoot = stagingRoot
    }

    /// What a create made, for the summary line and `--json`.
    public struct Result: Codable, Equatable, Sendable {
        public var snapshot: String
        public var stack: String
        public var dump: String
        public var dumpTime: String
        public var dumpSha256: String
        public var files: String?
        public var wordpressVersion: String?
        public var filesNew: Int
        public var filesChanged: Int
        public var filesUnmodified: Int
        public var bytesProcessed: Int64
        public var bytesAdded: Int64
        public var seconds: Double
    }

    /// The staging folder of the dump (its paths inside every snapshot of the stack).
    public var databaseFolder: String { "\(stagingRoot)/database" }

    /// Makes the snapshot from `dump` (already chosen; verified here before and after staging).
    /// Blocking (restic runs to its end, at most `timeout` seconds): call it off the cooperative pool.
    /// - Throws: `BackupError` (a dump that does not match its .sha256, restic's failures).
    public func run(dump: DumpFile, timeout: Double, onStatus: (ResticMessage.Status) -> Void) throws(BackupError)
        -> Result
    {
        let started = ContinuousClock.now
        try dumps.verify(dump)
        if let files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: files, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw .notAFolder(files) }
        }
        // The staged copy: only this dump in the folder, its .sha256 beside it.
        let staging = databaseFolder
        try? FileManager.default.removeItem(atPath: staging)
        do {
            try FileManager.default.createDirectory(
                atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.copyItem(atPath: dumps.path(of: dump), toPath: "\(staging)/\(dump.name)")
            try FileManager.default.copyItem(
                atPath: "\(dumps.path)/\(dump.checksumName)", toPath: "\(staging)/\(dump.checksumName)")
        } catch {
            throw .notAFolder(staging)
        }
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let sha = try DumpFolder.verify(
            file: "\(staging)/\(dump.name)", checksumFile: "\(staging)/\(dump.checksumName)")

        // A `backup` killed earlier (kill -9) left its lock: only such stale locks go.
        try restic.unlockStale()
        let summary = try restic.backup(
            paths: [staging] + (files.map { [$0] } ?? []), host: BackupSnapshot.host(stack: stack),
            tags: BackupSnapshot.tags(stack: stack, dump: dump, wordpressVersion: wordpressVersion), timeout: timeout,
            onStatus: onStatus)
        let elapsed = ContinuousClock.now - started
        return Result(
            snapshot: summary.snapshot_id, stack: stack, dump: dump.name, dumpTime: dump.time, dumpSha256: sha,
            files: files, wordpressVersion: wordpressVersion, filesNew: summary.files_new,
            filesChanged: summary.files_changed,
            filesUnmodified: summary.files_unmodified, bytesProcessed: summary.total_bytes_processed,
            bytesAdded: summary.data_added,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
