import Foundation
import HostIO

#if canImport(Glibc)
    import Glibc
#endif

/// The fstab file on disk: read it, change it safely, put it back.
///
/// Every change runs under an exclusive `flock` on the sibling file `<path>.brickctl.lock` (created
/// on first use, never deleted), so concurrent brickctl runs serialize their read-edit-write cycles
/// and no run loses another's entry. The lock sits next to the file rather than in `/run/lock` so it
/// follows the path: tests and `BRICKCTL_FSTAB` get their own lock, and it is on the same filesystem.
/// It cannot be the fstab itself, because each write replaces that inode by `rename`.
///
/// Writes are atomic (`AtomicFile`: temp file in the same directory, fsync, rename, fsync the
/// directory): a crash or `kill -9` at any moment leaves either the old or the new contents, never a
/// mix. Before each write the previous contents are saved atomically to `<path>.brickctl.bak`, and
/// temp files left by a run that was killed mid-write are deleted.
public struct FstabStore: Sendable {
    /// The system's fstab.
    public static let systemPath = "/etc/fstab"

    /// The file brickctl edits by default: `$BRICKCTL_FSTAB` when set and not empty, else `/etc/fstab`.
    public static var defaultPath: String {
        defaultPath(environment: ProcessInfo.processInfo.environment)
    }

    /// The file brickctl edits for a given environment (see `defaultPath`).
    public static func defaultPath(environment: [String: String]) -> String {
        if let path = environment["BRICKCTL_FSTAB"], !path.isEmpty { return path }
        return systemPath
    }

    /// The fstab file this store reads and writes.
    public var path: String
    /// How long `update` and `restore` wait for another run's lock before giving up, in seconds.
    public var lockTimeout: Double

    public init(path: String = FstabStore.defaultPath, lockTimeout: Double = 30) {
        self.path = path
        self.lockTimeout = lockTimeout
    }

    /// The file whose `flock` serializes changes: `<path>.brickctl.lock`.
    public var lockPath: String { path + ".brickctl.lock" }
    /// Where the contents before brickctl's last write are kept: `<path>.brickctl.bak`.
    public var backupPath: String { path + ".brickctl.bak" }

    /// Reads and parses the file; a missing file reads as an empty one.
    ///
    /// - Throws: `FstabError.unreadable`, or `FstabError.notUTF8` for bytes that are not UTF-8.
    public func read() throws -> FstabFile {
        guard FileManager.default.fileExists(atPath: path) else { return FstabFile() }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FstabError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw FstabError.notUTF8(path: path)
        }
        return FstabFile(parsing: text)
    }

    /// Applies `change` to the file under the lock, verifies the result and replaces the file atomically.
    ///
    /// When the edited text is byte-identical to the current one nothing is written (not even the
    /// backup; the mtime stays). Otherwise the new text is written to a temp file, checked with
    /// `findmnt --verify --tab-file TEMP` (see `FstabVerification` for what is accepted), the old
    /// contents are saved to `backupPath`, and the temp file is renamed over `path`.
    ///
    /// - Returns: the text before and after, for `restore(_:)` if a later step (mount) fails.
    /// - Throws: what `change` throws; `FstabError.unwritableEntry` for an entry with an empty field;
    ///   `FstabError.verificationFailed` when findmnt rejects the new text (the file is not changed);
    ///   `FileLockError.timedOut`; `CommandError.notFound` without findmnt; `SystemError`.
    @discardableResult
    public func update(_ change: (inout FstabFile) throws -> Void) throws -> FstabChange {
        let lock = try FileLock(path: lockPath, timeout: lockTimeout)
        return try withExtendedLifetime(lock) {
            let previous = try read()
            var next = previous
            try change(&next)
            if let (entry, problem) = next.unwritableEntries.first {
                throw FstabError.unwritableEntry(path: path, entry: entry.description, problem: problem)
            }
            guard !next.isByteIdentical(to: previous) else {
                return FstabChange(path: path, previous: previous, current: previous)
            }
            removeStaleTemporaryFiles()
            var problems: [FstabVerification.Problem] = []
            try write(next, replacing: previous) { tempPath in
                problems = try verify(tempPath, as: next, previous: previous)
            }
            return FstabChange(path: path, previous: previous, current: next, problems: problems)
        }
    }

    /// Puts back the contents from before `change`, atomically and under the lock (after a failed mount).
    ///
    /// Does nothing when `change` changed nothing or the file already holds `change.previous`. The old
    /// text is not re-verified: it is what the file held before.
    ///
    /// - Throws: `FstabError.changedSinceUpdate` when the file no longer holds `change.current` (another
    ///   run edited it since; restoring would undo that edit too); `FileLockError`, `SystemError`.
    public func restore(_ change: FstabChange) throws {
        guard change.isChanged else { return }
        let lock = try FileLock(path: lockPath, timeout: lockTimeout)
        try withExtendedLifetime(lock) {
            let now = try read()
            if now.isByteIdentical(to: change.previous) { return }
            guard now.isByteIdentical(to: change.current) else {
                throw FstabError.changedSinceUpdate(path: path, entriesToUndo: change.addedLines)
            }
            try write(change.previous, replacing: now, prepare: nil)
        }
    }

    /// Deletes temp files a killed run left next to the file (`AtomicFile` names them
    /// `.<name>.brickctl-XXXXXX`); only called while holding the lock, so none of them is in use.
    private func removeStaleTemporaryFiles() {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefixes = [url.lastPathComponent, URL(fileURLWithPath: backupPath).lastPathComponent]
            .map { ".\($0).brickctl-" }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names
        where prefixes.contains(where: { name.utf8.starts(with: $0.utf8) && name.utf8.count == $0.utf8.count + 6 }) {
            unlink("\(directory)/\(name)")
        }
    }

    /// Saves `old` to the backup, then atomically replaces the file with `new` (both after `prepare`).
    private func write(_ new: FstabFile, replacing old: FstabFile, prepare: ((String) throws -> Void)?) throws {
        var mode: mode_t = 0o644
        var st = stat()
        if stat(path, &st) == 0 { mode = st.st_mode & 0o7777 }
        try AtomicFile.write(Data(new.text.utf8), to: path, mode: mode) { tempPath in
            try prepare?(tempPath)
            try AtomicFile.write(Data(old.text.utf8), to: backupPath, mode: mode)
        }
    }

    /// Runs `findmnt --verify --tab-file tempPath` and applies the policy of `FstabVerification`.
    private func verify(_ tempPath: String, as file: FstabFile, previous: FstabFile) throws
        -> [FstabVerification.Problem]
    {
        let output = try Command("findmnt", ["--verify", "--tab-file", tempPath]).run()
        let verification = FstabVerification(
            status: output.status,
            stdout: output.stdout.replacingOccurrences(of: tempPath, with: path),
            stderr: output.stderr.replacingOccurrences(of: tempPath, with: path)
        )
        if let reason = verification.rejection(of: file, previous: previous) {
            throw FstabError.verificationFailed(path: path, reason: reason)
        }
        return verification.problems
    }
}
