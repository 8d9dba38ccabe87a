import Foundation
import HostIO
import Testing

extension Integration {
    /// `brickctl backup` against an `sftp:HOST:/PATH` restic repository: a real OpenSSH server
    /// (Debian's sshd, started by this test by pid, never the package's service) on 127.0.0.1 with
    /// a throwaway host key, key-only login and its built-in sftp server; the client's key, its
    /// known_hosts and a `Host` entry in the scratch folder, reached through an `ssh` first on
    /// brickctl's PATH that adds `-F` (restic runs `ssh HOST -s sftp`; ssh reads ~/.ssh from the
    /// user's passwd entry, which a test must not touch). No password anywhere but the 0600 file.
    @Suite struct BackupSFTPTests {
        let dir: String
        var password: String { "\(dir)/password" }
        var state: String { "\(dir)/state" }
        var backups: String { "\(dir)/backups" }
        var files: String { "\(dir)/files" }
        static let host = "brickctl-sftp-test"
        var repo: String { "sftp:\(Self.host):\(dir)/remote/repo" }

        init() throws {
            try Fixtures.requireRoot()
            dir = try Fixtures.directory("backup-sftp")
            for folder in [backups, "\(files)/uploads", "\(dir)/remote", "\(dir)/bin"] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        }

        /// brickctl with the scratch folder's `ssh` first on PATH.
        func brickctl(_ arguments: [String]) throws -> Command.Output {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            return try Command(Fixtures.brickctl, arguments, environment: ["PATH": "\(dir)/bin:\(path)"]).run(
                timeout: 300)
        }

        var repository: [String] { ["--repo", repo, "--password-file", password, "--state-dir", state] }

        func sha256(_ path: String) throws -> String {
            String(try Command("sha256sum", [path]).check().stdout.prefix(64))
        }

        func write(_ text: String, _ path: String, mode: mode_t = 0o644) throws {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, mode)
        }

        /// Keys, sshd_config, ssh_config, known_hosts and the `ssh` wrapper for `port`.
        func configure(port: Int) throws {
            let sshd = """
                ListenAddress 127.0.0.1:\(port)
                HostKey \(dir)/host_key
                PidFile none
                AuthorizedKeysFile \(dir)/authorized_keys
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                AllowUsers root
                StrictModes no
                UsePAM no
                Subsystem sftp internal-sftp

                """
            try write(sshd, "\(dir)/sshd_config", mode: 0o600)
            let client = """
                Host \(Self.host)
                  HostName 127.0.0.1
                  Port \(port)
                  User root
                  IdentityFile \(dir)/client_key
                  IdentitiesOnly yes
                  HostKeyAlias \(Self.host)
                  UserKnownHostsFile \(dir)/known_hosts
                  StrictHostKeyChecking yes
                  BatchMode yes
                  ConnectTimeout 10

                """
            try write(client, "\(dir)/ssh_config", mode: 0o600)
            try write("#!/bin/sh\nexec /usr/bin/ssh -F \(dir)/ssh_config \"$@\"\n", "\(dir)/bin/ssh", mode: 0o755)
        }

        /// Starts sshd on a free loopback port (a few tries); the running server.
        func startServer() throws -> ChildProcess {
            for (key, comment) in [("host_key", "brickctl-test-host"), ("client_key", "brickctl-test-client")] {
                try Command("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", "\(dir)/\(key)"])
                    .check(timeout: 60)
            }
            try FileManager.default.copyItem(atPath: "\(dir)/client_key.pub", toPath: "\(dir)/authorized_keys")
            let hostKey = try String(contentsOfFile: "\(dir)/host_key.pub", encoding: .utf8)
            try write("\(Self.host) \(hostKey)", "\(dir)/known_hosts")
            // sshd insists on its privilege separation folder (the package makes it at boot).
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
            var lastLog = ""
            for _ in 0..<5 {
                let port = Int.random(in: 20000..<60000)
                try configure(port: port)
                let log = "\(dir)/sshd-\(port).log"
                let server = try Command("/usr/sbin/sshd", ["-D", "-e", "-f", "\(dir)/sshd_config"]).spawn(
                    stdout: .null, stderr: .file(log))
                let deadline = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < deadline, server.isRunning {
                    lastLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    if lastLog.contains("Server listening on 127.0.0.1 port \(port)") { return server }
                    Thread.sleep(forTimeInterval: 0.05)
                }
                _ = server.terminate()
            }
            throw FixtureError("sshd did not start on a loopback port: \(lastLog)")
        }

        @Test func anSFTPRepositoryIsMadeUsedCheckedAndRestoredFrom() throws {
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let server = try startServer()
            defer { _ = server.terminate() }

            // The site: a dump as the backup service leaves it, and a few files.
            let dump = "wordpress-20261207T003000Z.sql.zst"
            try Command("zstd", ["-q", "-f", "-o", "\(backups)/\(dump)"]).check(
                input: "-- MariaDB dump\nINSERT INTO wp_posts VALUES (1,'hello');\n-- Dump completed\n")
            try write("\(try sha256("\(backups)/\(dump)"))  \(dump)\n", "\(backups)/\(dump).sha256")
            var sums: [String: String] = [:]
            for index in 0..<4 {
                let path = "\(files)/uploads/media-\(index).bin"
                try Command("head", ["-c", "\(256 << 10)", "/dev/urandom"]).spawn(stdout: .file(path), stderr: .null)
                    .wait(timeout: 60)
                sums["uploads/media-\(index).bin"] = try sha256(path)
            }
            try write("sftp-test-\(UUID().uuidString)\n", password, mode: 0o600)

            let started = ContinuousClock.now
            let initialized = try brickctl(["backup", "init"] + repository)
            try #require(initialized.succeeded, "\(initialized.stdout)\(initialized.stderr)")
            #expect(
                FileManager.default.fileExists(atPath: "\(dir)/remote/repo/config"),
                "the repository is on the sftp server's side")
            let again = try brickctl(["backup", "init"] + repository)
            #expect(again.succeeded && again.stdout.contains("kept"), "\(again.stdout)\(again.stderr)")

            // create, check, list and restore use the repository `init` recorded.
            let recorded = ["--state-dir", state]
            let create = try brickctl(
                [
                    "backup", "create", "--stack", "wp", "--backups-dir", backups, "--files-dir", files,
                    "--no-fresh-dump", "--json",
                ] + recorded)
            try #require(create.succeeded, "\(create.stdout)\(create.stderr)")
            let result = try #require(
                try JSONSerialization.jsonObject(with: Data(create.stdout.utf8)) as? [String: Any])
            #expect(result["dump"] as? String == dump)
            let check = try brickctl(["backup", "check"] + recorded)
            #expect(check.succeeded && check.stdout.contains("no errors"), "\(check.stdout)\(check.stderr)")
            let list = try brickctl(["backup", "list", "--json"] + recorded)
            let snapshots = try #require(
                try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
            #expect(snapshots.count == 1)
            let target = "\(dir)/restored"
            let restore = try brickctl(
                ["backup", "restore", "latest", "--stack", "wp", "--target", target, "--json"] + recorded)
            try #require(restore.succeeded, "\(restore.stdout)\(restore.stderr)")
            let restored = try #require(
                try JSONSerialization.jsonObject(with: Data(restore.stdout.utf8)) as? [String: Any])
            let restoredFiles = try #require(restored["files"] as? String)
            for (name, sum) in sums {
                #expect(try sha256("\(restoredFiles)/\(name)") == sum, "\(name)")
            }
            #expect(try sha256(try #require(restored["dump"] as? String)) == sha256("\(backups)/\(dump)"))
            print("BACKUP-SFTP: init, create, check, list and restore over sftp in \(ContinuousClock.now - started)")

            // The server's host key changed (another machine at that name): refused, saying what to check.
            try Command("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", "\(dir)/other_key"]).check(timeout: 60)
            let otherKey = try String(contentsOfFile: "\(dir)/other_key.pub", encoding: .utf8)
            try write("\(Self.host) \(otherKey)", "\(dir)/known_hosts")
            let changed = try brickctl(["backup", "list"] + recorded)
            // ssh's own "Host key verification failed" reaches restic's stderr only sometimes (restic may
            // report the closed pipe first: "read |0: file already closed", seen in a full run), so
            // the refusal is checked, and that it names the host key as a thing to check.
            #expect(
                changed.status == 1 && changed.stderr.contains("cannot reach the sftp repository")
                    && changed.stderr.contains("host key in known_hosts"), "\(changed.stderr)")

            // The server gone: the same clear refusal.
            _ = server.terminate()
            let gone = try brickctl(["backup", "list"] + recorded)
            #expect(gone.status == 1 && gone.stderr.contains("cannot reach the sftp repository"), "\(gone.stderr)")
        }
    }
}
