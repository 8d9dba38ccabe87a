import BrickctlTestSupport
import Stack
import Testing

@testable import Backup

/// restic 0.14's JSON lines (as printed here by `restic backup --json`) and its failures, read
/// into values; the progress line brickctl prints.
@Suite(.offCooperativePool) struct ResticMessageTests {
    @Test func statusAndSummaryLinesParse() throws {
        let start = ResticMessage(
            line: #"{"message_type":"status","percent_done":0,"total_files":1,"total_bytes":20000000}"#)
        guard case .status(let first) = start else {
            Issue.record("\(start)")
            return
        }
        #expect(first.line == "0% 0/1 files 0.0/19.1 MiB")
        let middle = ResticMessage(
            line:
                #"{"message_type":"status","seconds_elapsed":3,"seconds_remaining":9,"percent_done":0.4257,"total_files":3000,"files_done":1200,"total_bytes":314572800,"bytes_done":125829120,"current_files":["/data/a"]}"#
        )
        guard case .status(let status) = middle else {
            Issue.record("\(middle)")
            return
        }
        #expect(status.line == "42% 1200/3000 files 120.0/300.0 MiB, 9 s left")
        let end = ResticMessage(
            line:
                #"{"message_type":"summary","files_new":1,"files_changed":0,"files_unmodified":0,"dirs_new":1,"dirs_changed":0,"dirs_unmodified":0,"data_blobs":16,"tree_blobs":2,"data_added":20001714,"total_files_processed":1,"total_bytes_processed":20000000,"total_duration":0.87034116,"snapshot_id":"4a5771c6"}"#
        )
        guard case .summary(let summary) = end else {
            Issue.record("\(end)")
            return
        }
        #expect(summary.snapshot_id == "4a5771c6" && summary.files_new == 1 && summary.data_added == 20_001_714)
        #expect(
            ResticMessage(
                line:
                    #"{"message_type":"error","error":{"message":"permission denied"},"during":"archival","item":"/x"}"#
            )
                == .error("/x: permission denied"))
        #expect(ResticMessage(line: "not json") == .other)
        #expect(ResticMessage(line: #"{"message_type":"verbose_status","action":"new"}"#) == .other)
    }

    @Test func failuresAreTyped() {
        #expect(
            ResticFailure(command: "cat", status: 1, stderr: "Fatal: wrong password or no key found\n").code
                == .wrongPassword)
        #expect(
            ResticFailure(
                command: "cat", status: 1,
                stderr:
                    "Fatal: unable to open config file: stat nope/config: no such file or directory\nIs there a repository at the following location?\nnope\n"
            ).code == .noRepository)
        #expect(
            ResticFailure(
                command: "init", status: 1,
                stderr: "Fatal: create repository at repo failed: config file already exists\n"
            )
            .code == .alreadyInitialized)
        #expect(
            ResticFailure(command: "backup", status: 3, stderr: "Warning: at least one source file could not be read\n")
                .code == .incomplete)
        #expect(
            ResticFailure(
                command: "check", status: 1,
                stderr: "unable to create lock in backend: repository is already locked exclusively by PID 12\n"
            )
            .code == .locked)
        // restic 0.14 over sftp with a changed host key (ssh's lines come first, prefixed).
        #expect(
            ResticFailure(
                command: "snapshots", status: 1,
                stderr:
                    "subprocess ssh: Host key verification failed.\nFatal: unable to open repository at sftp:h:/r: unable to start the sftp session, error: EOF\n"
            )
            .code == .sshFailed)
        let other = ResticFailure(command: "check", status: 1, stderr: "a\n\nb\n")
        #expect(other.code == .failed(status: 1) && other.message == "a; b")
    }

    @Test func passwordFilesAreJudged() {
        #expect(PasswordFileCheck.judge(path: "/etc/p", exists: true, isRegular: true, size: 10, mode: 0o100600) == .ok)
        #expect(PasswordFileCheck.judge(path: "/etc/p", exists: true, isRegular: true, size: 10, mode: 0o100400) == .ok)
        #expect(
            PasswordFileCheck.judge(path: "/etc/p", exists: true, isRegular: true, size: 10, mode: 0o100644)
                == .tooOpen(mode: 0o644))
        #expect(PasswordFileCheck.judge(path: "/etc/p", exists: false, isRegular: false, size: 0, mode: 0) == .missing)
        #expect(
            PasswordFileCheck.judge(path: "/etc/p", exists: true, isRegular: false, size: 0, mode: 0o40700)
                == .notRegular)
        #expect(
            PasswordFileCheck.judge(path: "/etc/p", exists: true, isRegular: true, size: 0, mode: 0o100600) == .empty)
        // Docker mounts secrets 0444 by default: a secret is fine as it is.
        #expect(
            PasswordFileCheck.judge(
                path: "/run/secrets/restic", exists: true, isRegular: true, size: 10, mode: 0o100444)
                == .ok)
    }

    @Test func theWordPressVersionIsReadFromTheSite() {
        let feed = "<channel><title>lab</title><generator>https://wordpress.org/?v=6.1.9</generator></channel>"
        #expect(BackupSnapshot.wordpressVersion(inPage: feed) == "6.1.9")
        let page = "<head><meta name=\"generator\" content=\"WordPress 6.4.2\" /></head>"
        #expect(BackupSnapshot.wordpressVersion(inPage: page) == "6.4.2")
        #expect(BackupSnapshot.wordpressVersion(inPage: "<html>no generator</html>") == nil)
        let tags = BackupSnapshot.tags(
            stack: "wp", dump: DumpFile(name: "wordpress-20261207T003000Z.sql.zst")!, wordpressVersion: "6.1.9")
        let snapshot = BackupSnapshot(id: "a", short_id: "a", time: "", hostname: "", paths: [], tags: tags)
        #expect(snapshot.wordpressVersion == "6.1.9")
    }

    @Test func snapshotTagsReadBack() throws {
        let dump = try #require(DumpFile(name: "wordpress-20261207T003000Z.sql.zst"))
        let tags = BackupSnapshot.tags(stack: "wp", dump: dump, wordpressVersion: nil)
        #expect(
            tags == [
                "brickctl", "stack=wp", "dump=wordpress-20261207T003000Z.sql.zst", "dump-time=2026-12-07T00:30:00Z",
            ])
        let snapshot = BackupSnapshot(
            id: "4a5771c61079", short_id: "4a5771c6", time: "2026-12-07T00:33:39Z", hostname: "brickctl-wp",
            paths: ["/var/lib/brickctl/backup/wp/database"], tags: tags)
        #expect(snapshot.stack == "wp" && snapshot.dump == dump.name && snapshot.dumpTime == dump.time)
        #expect(BackupSnapshot.host(stack: "wp") == "brickctl-wp")
    }
}
