public import Stack

/// A backup or restore refused or failed: a typed code with its facts. The sentences that name
/// options and commands are composed in the command layer (`BackupError+CommandLine.swift`).
public enum BackupError: Error, Equatable, Sendable {
    /// No complete dump (a dump with its .sha256) of `database` in `folder`.
    case noDump(folder: String, database: String)
    /// The dump's .sha256 is missing or unreadable.
    case checksumMissing(dump: String)
    /// The dump's bytes do not match its .sha256: corrupt or truncated.
    case checksumMismatch(dump: String, expected: String, actual: String)
    /// The backup service wrote no new dump within `seconds` after it was asked to.
    case freshDumpTimedOut(folder: String, seconds: Int, lastError: String?)
    /// The repository password file cannot be used.
    case passwordFile(path: String, PasswordFileCheck)
    /// A folder to back up or restore is missing.
    case notAFolder(String)
    /// Mounting the Gluster volume's folder failed (mount's own message).
    case mountFailed(source: String, message: String)
    /// restic failed.
    case restic(ResticFailure)
    /// No brickctl snapshot matches (of `stack`, or with that id).
    case noSnapshot(stack: String?, id: String?)
    /// A snapshot holds no dump file where its tag says.
    case snapshotWithoutDump(snapshot: String)
    /// The dump creates no table: the database was empty when it was dumped.
    case dumpWithoutTables(dump: String)
    /// The dump could not be decompressed and read.
    case dumpUnreadable(dump: String, reason: String)
}

extension BackupError {
    /// The dump named in `.checksumMismatch`, for messages.
    public static func mismatch(_ dump: DumpFile, expected: String, actual: String) -> Self {
        .checksumMismatch(dump: dump.name, expected: expected, actual: actual)
    }
}
