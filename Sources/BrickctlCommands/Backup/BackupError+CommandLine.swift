import Backup

extension BackupError {
    /// The sentence for the user: what is wrong and what to do.
    var commandLineMessage: String {
        switch self {
        case .noDump(let folder, let database):
            return
                "no complete dump of \(database) in \(folder) (a .sql.zst with its .sha256): is the stack's backup service running? (docker service logs STACK_backup)"
        case .checksumMissing(let dump):
            return "refusing \(dump): its .sha256 is missing or unreadable, so it cannot be verified; pick another dump"
        case .checksumMismatch(let dump, let expected, let actual):
            return
                "refusing \(dump): its bytes do not match its .sha256 (expected \(expected.prefix(16))…, found \(actual.prefix(16))…): the dump is corrupt or truncated; nothing was touched, pick an older dump (--from DUMPFILE) or a restic snapshot"
        case .freshDumpTimedOut(let folder, let seconds, let lastError):
            return
                "the backup service wrote no new dump into \(folder) within \(seconds) s"
                + (lastError.map { "; its last error: \($0)" } ?? "; is it running? (docker service ps STACK_backup)")
                + "; --no-fresh-dump backs up the newest dump there"
        case .passwordFile(let path, let check):
            switch check {
            case .missing:
                return
                    "password file \(path) does not exist: give the file that holds the repository's password (--password-file)"
            case .notRegular: return "password file \(path) is not a regular file"
            case .empty: return "password file \(path) is empty: put the repository's password in it"
            case .tooOpen(let mode):
                return
                    "password file \(path) is readable by others (mode \(String(mode, radix: 8))): keep the password in a file of its own that only its owner reads (chmod 600 \(path), if it holds nothing else)"
            case .ok: return "password file \(path)"
            }
        case .notAFolder(let path):
            return "\(path) is not a folder brickctl can read or write: check the path (or the volume's mount)"
        case .mountFailed(let source, let message):
            return
                "cannot mount \(source): \(message); name a host of the Gluster pool with --server HOST (this host must be in the volume's auth.allow; on a Swarm manager outside the pool, one of the pool's hosts), or give the folders with --backups-dir/--files-dir"
        case .noSnapshot(let stack, let id):
            if let id { return "no brickctl snapshot \(id) in the repository: brickctl backup list shows them" }
            return
                "no brickctl snapshot\(stack.map { " of stack \($0)" } ?? "") in the repository: make one with brickctl backup create"
        case .dumpWithoutTables(let dump):
            return
                "\(dump) holds no tables: the database was empty when it was dumped (before the site was installed?), and loading it would leave an empty site. Pick a later one with --from DUMPFILE or --from SNAPSHOT (brickctl backup list); nothing was changed"
        case .dumpUnreadable(let dump, let reason):
            return "cannot read the SQL of \(dump) (\(reason)): is zstd installed, and the file a zstd-compressed dump?"
        case .snapshotWithoutDump(let snapshot):
            return "snapshot \(snapshot) holds no database dump: pick another one (brickctl backup list)"
        case .restic(let failure):
            switch failure.code {
            case .wrongPassword:
                return
                    "the repository refuses this password (restic: wrong password or no key found): give the file with the password the repository was made with (--password-file)"
            case .noRepository:
                return
                    "there is no restic repository at this location: make it with brickctl backup init --repo REPO --password-file FILE (restic: \(failure.message))"
            case .alreadyInitialized:
                return "a repository already exists there (restic: \(failure.message))"
            case .locked:
                return "the repository is locked by a running restic (another backup?): wait for it; \(failure.message)"
            case .sshFailed:
                return
                    "cannot reach the sftp repository: restic's `ssh HOST -s sftp` did not start a session (restic: \(failure.message)); check that `ssh HOST` works for this user without a prompt: a key it offers (~/.ssh or a Host entry in ~/.ssh/config), the server's host key in known_hosts, the server running"
            case .incomplete:
                return "the snapshot was made but some files could not be read: \(failure.message)"
            case .failed(let status):
                return "restic \(failure.command) failed (exit \(status)): \(failure.message)"
            }
        }
    }
}
