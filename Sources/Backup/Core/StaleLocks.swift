/// Whether `restic unlock` has to run before a command that takes the repository's lock (issue 17:
/// on an unchanged rerun, restic's start for `unlock` cost about as much as the backup itself).
///
/// The rule it keeps: a stale lock (of a run killed with -9) is removed before the next run; a live
/// lock is never removed (restic's `unlock` without `--remove-all` removes only stale ones). A
/// local repository keeps its locks as files in `REPO/locks/`: when that folder exists and is
/// empty there is no lock at all, so `unlock` would remove nothing and is skipped. In every other
/// case (a lock file there, a folder that cannot be read, a repository that is not a local path)
/// `unlock` runs: listing a remote repository's locks costs as much as unlocking it (both open the
/// repository: key derivation, config), measured 0.4–0.6 s each here.
///
/// A lock that appears after the look is a live run's lock, which `unlock` would have left anyway.
public enum StaleLocks {
    /// What to do before the run.
    public enum Decision: Equatable, Sendable {
        /// No lock files: nothing `unlock` could remove.
        case skipUnlock
        /// Run `restic unlock` (stale locks go, live ones stay).
        case unlock
    }

    /// restic's backend prefixes other than `local:` (restic 0.14: `location.Parse`); a repository
    /// string without one of them is a local path.
    static let remoteSchemes = ["sftp", "rest", "s3", "b2", "azure", "gs", "swift", "rclone"]

    /// The folder holding `repository`'s lock files when it is a local path (`/srv/restic`,
    /// `local:/srv/restic`, a relative path as restic resolves it: from the working directory);
    /// nil for any other repository (sftp:, rest:, s3:, ...) or an empty string.
    public static func localLocksFolder(repository: String) -> String? {
        var path = Substring(repository)
        if path.hasPrefix("local:") {
            path = path.dropFirst("local:".count)
        } else if remoteSchemes.contains(where: { path.hasPrefix("\($0):") }) {
            return nil
        }
        guard !path.isEmpty else { return nil }
        while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        return path == "/" ? "/locks" : "\(path)/locks"
    }

    /// Decides from what the look at the locks folder found: its entries, or nil when there is no
    /// local folder to look at or it could not be read (then restic decides: `unlock`).
    public static func decide(lockFolderEntries: [String]?) -> Decision {
        guard let entries = lockFolderEntries else { return .unlock }
        return entries.isEmpty ? .skipUnlock : .unlock
    }
}
