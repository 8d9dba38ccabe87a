import Foundation
import HostIO
import Testing

extension Integration {
    /// `brickctl backup` against a real restic repository (a local path): a database dump as the
    /// backup service leaves it and a folder of site files, saved, interrupted with kill -9 and
    /// saved again, checked with restic's own check, restored and compared by sha256; the bad
    /// inputs refused with a clear message. No lab: folders in the scratch directory.
    @Suite struct BackupResticTests {
        let dir: String
        var repo: String { "\(dir)/repo" }
        var password: String { "\(dir)/password" }
        var state: String { "\(dir)/state" }
        var backups: String { "\(dir)/backups" }
        var files: String { "\(dir)/files" }

        init() throws {
            try Fixtures.requireRoot()
            dir = try Fixtures.directory("backup-restic")
            for folder in [backups, files] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        }

        func brickctl(_ arguments: [String]) throws -> Command.Output {
            try Command(Fixtures.brickctl, arguments).run(timeout: 600)
        }

        var repository: [String] { ["--repo", repo, "--password-file", password, "--state-dir", state] }

        func sha256(_ path: String) throws -> String {
            String(try Command("sha256sum", [path]).check().stdout.prefix(64))
        }

        /// A dump the way the backup service writes it: zstd, with its .sha256 beside it.
        func writeDump(_ stamp: String) throws -> String {
            let name = "wordpress-\(stamp).sql.zst"
            let sql = "-- MariaDB dump\nINSERT INTO wp_posts VALUES (1,'hello');\n-- Dump completed on \(stamp)\n"
            try Command("zstd", ["-q", "-f", "-o", "\(backups)/\(name)"]).check(input: sql)
            try "\(try sha256("\(backups)/\(name)"))  \(name)\n".write(
                toFile: "\(backups)/\(name).sha256", atomically: true, encoding: .utf8)
            return name
        }

        /// The site's files: `count` files of random bytes in a few folders; name → sha256.
        func writeFiles(count: Int, bytes: Int) throws -> [String: String] {
            var sums: [String: String] = [:]
            for index in 0..<count {
                let folder = "\(files)/uploads/2026/\(index % 4)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let path = "\(folder)/media-\(index).bin"
                try Command("head", ["-c", "\(bytes)", "/dev/urandom"]).spawn(stdout: .file(path), stderr: .null)
                    .wait(timeout: 60)
                sums["uploads/2026/\(index % 4)/media-\(index).bin"] = try sha256(path)
            }
            return sums
        }

        @Test func backupCreateInterruptedCheckedAndRestored() throws {
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let dump = try writeDump("20261207T003000Z")
            let sums = try writeFiles(count: 24, bytes: 8 << 20)

            // Before init: a clear "no repository" (not restic's raw text alone).
            try "the-password\n".write(toFile: password, atomically: true, encoding: .utf8)
            chmod(password, 0o644)
            let open = try brickctl(["backup", "init"] + repository)
            #expect(open.status == 1 && open.stderr.contains("chmod 600 \(password)"), "\(open.stderr)")
            chmod(password, 0o600)
            let missing = try brickctl(["backup", "list"] + repository)
            #expect(
                missing.status == 1 && missing.stderr.contains("no restic repository at this location")
                    && missing.stderr.contains("brickctl backup init"), "\(missing.stderr)")

            let initialized = try brickctl(["backup", "init"] + repository)
            try #require(initialized.succeeded, "\(initialized.stdout)\(initialized.stderr)")
            let again = try brickctl(["backup", "init"] + repository)
            #expect(again.succeeded && again.stdout.contains("kept"), "\(again.stdout)\(again.stderr)")

            // A wrong password: refused with what to do.
            let other = "\(dir)/other-password"
            try "not-the-password\n".write(toFile: other, atomically: true, encoding: .utf8)
            chmod(other, 0o600)
            let wrong = try brickctl(["backup", "list", "--repo", repo, "--password-file", other, "--state-dir", state])
            #expect(wrong.status == 1 && wrong.stderr.contains("refuses this password"), "\(wrong.stderr)")

            // kill -9 in the middle of the first create (brickctl and its restic, one process group).
            let create = [
                "backup", "create", "--stack", "wp", "--backups-dir", backups, "--files-dir", files, "--no-fresh-dump",
            ]
            let errFile = "\(dir)/create.err"
            let child = try Command(Fixtures.brickctl, create + ["--state-dir", state]).spawn(
                stdout: .null, stderr: .file(errFile), newProcessGroup: true)
            let deadline = ContinuousClock.now + .seconds(120)
            var sawProgress = false
            while ContinuousClock.now < deadline, child.isRunning {
                let text = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
                if text.contains("backup: ") && text.contains("MiB") {
                    sawProgress = true
                    break
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            kill(-child.pid, SIGKILL)
            let killedStatus = try child.wait(timeout: 30)
            print("BACKUP: first create killed with status \(killedStatus) after progress: \(sawProgress)")
            #expect(sawProgress, "a progress line before the kill")
            #expect(killedStatus == 128 + SIGKILL, "the create was still running when killed")
            let locksAfterKill = (try? FileManager.default.contentsOfDirectory(atPath: "\(repo)/locks")) ?? []
            #expect(!locksAfterKill.isEmpty, "the killed run left its lock behind")

            // The rerun completes; restic's own check passes.
            let started = ContinuousClock.now
            let first = try brickctl(create + ["--state-dir", state, "--json"])
            let firstTime = ContinuousClock.now - started
            try #require(first.succeeded, "\(first.stdout)\(first.stderr)")
            let result = try #require(
                try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
            #expect(result["dump"] as? String == dump)
            #expect(result["dumpSha256"] as? String == (try sha256("\(backups)/\(dump)")))
            let check = try brickctl(["backup", "check"] + repository)
            #expect(check.succeeded && check.stdout.contains("no errors"), "\(check.stdout)\(check.stderr)")
            // The killed run's lock is gone (brickctl ran restic unlock: locks/ was not empty). Not
            // asserted right after the rerun: restic counts a lock as stale only once the killed
            // process has been reaped (a zombie still answers kill 0), which may take a moment.
            let locksAfterCheck = (try? FileManager.default.contentsOfDirectory(atPath: "\(repo)/locks")) ?? ["?"]
            #expect(locksAfterCheck.isEmpty, "locks left: \(locksAfterCheck)")
            let resticCheck = try Command("restic", ["-r", repo, "--password-file", password, "check"]).run(
                timeout: 300)
            #expect(resticCheck.succeeded, "\(resticCheck.stdout)\(resticCheck.stderr)")

            // A second create of the unchanged files: nothing new, little added.
            let secondStart = ContinuousClock.now
            let second = try brickctl(create + ["--state-dir", state, "--json"])
            let secondTime = ContinuousClock.now - secondStart
            try #require(second.succeeded, "\(second.stderr)")
            let secondResult = try #require(
                try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
            #expect(secondResult["filesNew"] as? Int == 0)
            #expect((secondResult["filesUnmodified"] as? Int ?? 0) >= sums.count)
            let added = secondResult["bytesAdded"] as? Int ?? Int.max
            #expect(added < (24 * 8 << 20) / 100, "a rerun adds < 1% (added \(added) bytes)")
            print("BACKUP: create of 192 MiB \(firstTime), unchanged rerun \(secondTime), rerun added \(added) bytes")

            let list = try brickctl(["backup", "list", "--stack", "wp", "--json"] + repository)
            let snapshots = try #require(
                try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(snapshots.count == 2)
            #expect((snapshots.first?["tags"] as? [String])?.contains("dump=\(dump)") == true)

            // Restore into an empty folder: the same bytes.
            let target = "\(dir)/restored"
            let restore = try brickctl(
                ["backup", "restore", "latest", "--stack", "wp", "--target", target, "--json"] + repository)
            try #require(restore.succeeded, "\(restore.stdout)\(restore.stderr)")
            let restored = try #require(
                try JSONSerialization.jsonObject(with: Data(restore.stdout.utf8)) as? [String: Any])
            let restoredFiles = try #require(restored["files"] as? String)
            for (name, sum) in sums {
                #expect(try sha256("\(restoredFiles)/\(name)") == sum, "\(name)")
            }
            #expect(try sha256(try #require(restored["dump"] as? String)) == sha256("\(backups)/\(dump)"))

            // forget with restic's policy: one kept.
            let forget = try brickctl(
                ["backup", "forget", "--stack", "wp", "--keep-last", "1", "--prune"] + repository)
            #expect(forget.succeeded, "\(forget.stdout)\(forget.stderr)")
            let after = try brickctl(["backup", "list", "--json"] + repository)
            #expect(
                (try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]])?.count == 1)

            // A corrupt dump is refused before anything is saved.
            let corrupt = try writeDump("20261207T004500Z")
            let handle = try #require(FileHandle(forWritingAtPath: "\(backups)/\(corrupt)"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("x".utf8))
            try handle.close()
            let refused = try brickctl(create + ["--state-dir", state])
            #expect(
                refused.status == 1 && refused.stderr.contains("do not match its .sha256"), "\(refused.stderr)")

            // `stack restore`'s bad inputs, refused before the Swarm or the database is asked
            // anything (no Swarm here: a command that went further would fail differently).
            let stackDir = "\(dir)/stack"
            let written = try brickctl([
                "stack", "wordpress", "--name", "wp", "--images", "lab", "--out", "\(stackDir)/stack.yml",
            ])
            try #require(written.succeeded, "\(written.stdout)\(written.stderr)")
            let stackRestore = ["stack", "restore", "--name", "wp", "--dir", stackDir, "--backups-dir", backups]
            let corruptFile = try brickctl(stackRestore + ["--from", "\(backups)/\(corrupt)"])
            #expect(
                corruptFile.status == 1 && corruptFile.stderr.contains("do not match its .sha256")
                    && !corruptFile.stderr.contains("docker"), "\(corruptFile.stderr)")
            let truncated = "\(dir)/truncated-\(dump)"
            let whole = try Data(contentsOf: URL(fileURLWithPath: "\(backups)/\(dump)"))
            try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: truncated))
            try FileManager.default.copyItem(atPath: "\(backups)/\(dump).sha256", toPath: "\(truncated).sha256")
            let cut = try brickctl(stackRestore + ["--from", truncated])
            #expect(cut.status == 1 && cut.stderr.contains("do not match its .sha256"), "\(cut.stderr)")
            let wrongRepo = try brickctl(
                stackRestore + ["--from", "abcdef12", "--repo", repo, "--password-file", other, "--state-dir", state])
            #expect(wrongRepo.status == 1 && wrongRepo.stderr.contains("refuses this password"), "\(wrongRepo.stderr)")
            let noRepo = try brickctl(
                stackRestore + ["--from", "abcdef12", "--repo", "\(dir)/nowhere", "--password-file", password]
                    + ["--state-dir", state])
            #expect(
                noRepo.status == 1 && noRepo.stderr.contains("no restic repository at this location"),
                "\(noRepo.stderr)")
            let noSuchSnapshot = try brickctl(stackRestore + ["--from", "abcdef12"] + repository)
            #expect(
                noSuchSnapshot.status == 1 && noSuchSnapshot.stderr.contains("abcdef12"), "\(noSuchSnapshot.stderr)")
            let filesFromVolume = try brickctl(stackRestore + ["--files"])
            #expect(
                filesFromVolume.status == 2 && filesFromVolume.stderr.contains("--from SNAPSHOT"),
                "\(filesFromVolume.stderr)")
        }
    }
}
