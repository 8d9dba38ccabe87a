import Backup
import BrickctlTestSupport
import Testing

/// When `brickctl backup` runs `restic unlock` first: only when there may be a lock to remove.
@Suite(.offCooperativePool) struct StaleLocksTests {
    @Test(arguments: [
        ("/var/backups/restic", "/var/backups/restic/locks"),
        ("/var/backups/restic/", "/var/backups/restic/locks"),
        ("local:/var/backups/restic", "/var/backups/restic/locks"),
        ("repo", "repo/locks"),
        ("./backups/repo", "./backups/repo/locks"),
        ("/", "/locks"),
    ])
    func localRepositoriesHaveALocksFolder(repository: String, folder: String) {
        #expect(StaleLocks.localLocksFolder(repository: repository) == folder)
    }

    @Test(arguments: [
        "sftp:backup@host:/srv/restic", "sftp://backup@host//srv/restic", "rest:https://host:8000/",
        "s3:s3.amazonaws.com/bucket", "b2:bucket:path", "azure:container:/", "gs:bucket:/", "swift:container:/",
        "rclone:remote:path", "", "local:",
    ])
    func otherRepositoriesHaveNone(repository: String) {
        #expect(StaleLocks.localLocksFolder(repository: repository) == nil)
    }

    @Test func unlockOnlyWhenALockMayBeThere() {
        // An empty locks folder: nothing unlock could remove.
        #expect(StaleLocks.decide(lockFolderEntries: []) == .skipUnlock)
        // A lock file (a killed run's, or a live run's that unlock leaves alone): restic decides.
        #expect(
            StaleLocks.decide(lockFolderEntries: ["4bd0ab5ef1f1e1c0d5b3b5a8bde1e7d4c0e2bb10d4a1a0e6a5e1a2b3c4d5e6f7"])
                == .unlock)
        // No folder to look at (a remote repository) or an unreadable one: unlock as before.
        #expect(StaleLocks.decide(lockFolderEntries: nil) == .unlock)
    }
}
