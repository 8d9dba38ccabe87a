import BrickctlTestSupport
import Foundation
import HostIO
import Testing

@testable import Stack

/// The backup service's script run for real (`/bin/sh`, zstd, coreutils) in a scratch folder, with
/// a stand-in `mariadb-dump` first on PATH that records its arguments and the client options file
/// it is given: the files it leaves, the retention, a failure keeping the old dumps, the health
/// check and status.json. No database, no Docker, no root.
/// Skipped only outside CI and without root when zstd is missing; in CI (root, scripts/install-deps
/// ran) it always runs, and a missing zstd fails it loudly.
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd")
            || ProcessInfo.processInfo.environment["CI"] != nil || getuid() == 0,
        "zstd is not installed and this is neither root nor CI"), .offCooperativePool)
struct BackupScriptTests {
    let root: URL
    var backups: String { root.appendingPathComponent("backups").path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("brickctl-backup-script-\(UUID())")
        for dir in ["backups", "bin", "tmp"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        try BackupScript().text.write(to: root.appendingPathComponent("backup.sh"), atomically: true, encoding: .utf8)
        // A password with characters an options file must quote.
        try "pa ss\"w\\ord\n".write(to: root.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
        let stub = """
            #!/bin/sh
            printf '%s\\n' "$@" >"$STUB/args"
            cp "${1#--defaults-extra-file=}" "$STUB/cnf"
            stat -c %a "${1#--defaults-extra-file=}" >"$STUB/cnf-mode"
            if [ -e "$STUB/fail" ]; then echo "ERROR 2002 (HY000): Can't connect to server on 'db' (115)" >&2; exit 2; fi
            echo "-- MariaDB dump 10.19"
            echo "-- Server version\t10.11.6-MariaDB-0+deb12u1"
            echo "CREATE TABLE wp_posts (ID bigint);"
            echo "INSERT INTO wp_posts VALUES (1),(2);"
            [ -e "$STUB/big" ] && head -c 3000000 /dev/urandom | od -A n -t x1
            [ -e "$STUB/cut" ] && exit 0
            echo "-- Dump completed on 2026-12-07  0:30:00"

            """
        // A stand-in `mariadb` client: answers the restore's queries, keeps what is loaded.
        let client = """
            #!/bin/sh
            sql=""
            while [ $# -gt 0 ]; do case $1 in -e) sql=$2; shift ;; esac; shift; done
            case $sql in
              "SELECT 1") echo 1 ;;
              "SELECT VERSION()") echo "${STUB_SERVER:-10.11.6-MariaDB-0+deb12u1}" ;;
              *information_schema*) cat "$STUB/tables" 2>/dev/null || echo 0 ;;
              *posts*) echo 7 ;;
              "CREATE DATABASE"*) echo "$sql" >"$STUB/created" ;;
              "") cat >"$STUB/loaded" ;;
            esac

            """
        let clientPath = root.appendingPathComponent("bin/mariadb").path
        try client.write(toFile: clientPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: clientPath)
        let stubPath = root.appendingPathComponent("bin/mariadb-dump").path
        try stub.write(toFile: stubPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stubPath)
    }

    func script(
        _ mode: String, _ extra: [String] = [], keep: Int = 3, server: String? = nil, restoreID: String? = nil
    ) throws -> Command.Output {
        try Command(
            "/bin/sh", [root.appendingPathComponent("backup.sh").path, mode] + extra,
            environment: [
                "PATH": root.appendingPathComponent("bin").path + ":/usr/bin:/bin",
                "BACKUP_DIR": backups, "BACKUP_KEEP": "\(keep)", "BACKUP_EVERY": "60", "DB_NAME": "wordpress",
                "DB_HOST": "db", "DB_USER": "wordpress",
                "DB_PASSWORD_FILE": root.appendingPathComponent("secret").path,
                "TMPDIR": root.appendingPathComponent("tmp").path, "STUB": root.path, "RESTORE_WAIT": "5",
            ].merging(server.map { ["STUB_SERVER": $0] } ?? [:], uniquingKeysWith: { $1 })
                .merging(restoreID.map { ["RESTORE_ID": $0] } ?? [:], uniquingKeysWith: { $1 })
        ).run(timeout: 60)
    }

    func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: backups).sorted() }

    func readStatus() throws -> BackupStatus {
        try JSONDecoder().decode(
            BackupStatus.self, from: Data(contentsOf: URL(fileURLWithPath: "\(backups)/\(BackupStatus.file)")))
    }

    /// An older dump as the service would have left it.
    func oldDump(_ stamp: String, checksum: Bool = true) throws {
        let name = "wordpress-\(stamp).sql.zst"
        try Data("old".utf8).write(to: URL(fileURLWithPath: "\(backups)/\(name)"))
        if checksum {
            try DumpChecksum(sha256: String(repeating: "0", count: 64), name: name).text
                .write(toFile: "\(backups)/\(name).sha256", atomically: true, encoding: .utf8)
        }
    }

    @Test func aDumpIsWrittenCheckedAndTheRetentionApplied() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        for day in 1...4 { try oldDump("2026120\(day)T000000Z") }
        try oldDump("20261205T000000Z", checksum: false)
        let before = try names() + ["wordpress-29991231T000000Z.sql.zst", "wordpress-29991231T000000Z.sql.zst.sha256"]
        let expected = Set(DumpFile.expired(in: before, database: "wordpress", keep: 3).map(\.name))

        let run = try script("once", keep: 3)
        #expect(run.succeeded, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("backup: wrote wordpress-"), "\(run.stdout)")

        let after = try names()
        let dumps = DumpFile.complete(in: after, database: "wordpress")
        #expect(dumps.count == 3)
        let new = try #require(dumps.first)
        // The same choice as the pure retention (the new dump standing in for the far-future one).
        let removed = Set(before.compactMap(DumpFile.init(name:)).map(\.name)).subtracting(after)
            .subtracting(["wordpress-29991231T000000Z.sql.zst"])
        #expect(removed == expected)
        #expect(!after.contains { $0.hasPrefix(".tmp-") })

        // The bytes: zstd of what mariadb-dump printed, the .sha256 matches them.
        let path = "\(backups)/\(new.name)"
        let text = try Command("/usr/bin/zstd", ["-dc", path]).check().stdout
        #expect(text.hasPrefix("-- MariaDB dump") && text.contains("-- Dump completed"))
        let sum = try Command("/usr/bin/sha256sum", [path]).check().stdout.prefix(64)
        let recorded = try #require(DumpChecksum(text: String(contentsOfFile: "\(path).sha256", encoding: .utf8)))
        #expect(recorded.sha256 == String(sum) && recorded.name == new.name)

        // The flags, and the password only in the 0600 options file.
        let args = try String(contentsOfFile: root.appendingPathComponent("args").path, encoding: .utf8)
        for flag in ["--single-transaction", "--routines", "--events", "--triggers"] {
            #expect(args.contains(flag + "\n"), "\(flag) in \(args)")
        }
        #expect(!args.contains("pa ss"))
        let cnf = try String(contentsOfFile: root.appendingPathComponent("cnf").path, encoding: .utf8)
        #expect(cnf.contains(#"password="pa ss\"w\\ord""#), "\(cnf)")
        #expect(try String(contentsOfFile: root.appendingPathComponent("cnf-mode").path, encoding: .utf8) == "600\n")

        let status = try readStatus()
        #expect(status.lastAttemptOk && status.lastError == nil && status.dumps == 3 && status.keep == 3)
        #expect(status.lastGood?.file == new.name && status.lastGood?.time == new.time)
        #expect(status.lastGood?.sha256 == recorded.sha256)
        let health = try script("health")
        #expect(health.succeeded, "\(health.stdout)")
    }

    @Test func aFailedDumpKeepsTheOldOnesAndIsUnhealthy() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try oldDump("20261201T000000Z")
        try oldDump("20261202T000000Z")
        let before = try names()
        try Data().write(to: root.appendingPathComponent("fail"))

        let run = try script("once", keep: 1)
        #expect(!run.succeeded)
        #expect(
            run.stdout.contains("FAILED: mariadb-dump exited 2") && run.stdout.contains("Can't connect"),
            "\(run.stdout)")
        #expect(try names() == (before + [BackupStatus.file]).sorted(), "the old dumps stay, no temp file left")
        let status = try readStatus()
        #expect(!status.lastAttemptOk)
        #expect(status.lastError?.message.contains("Can't connect to server") == true)
        #expect(status.lastGood?.file == "wordpress-20261202T000000Z.sql.zst")
        let health = try script("health")
        #expect(!health.succeeded && health.stdout.contains("the last dump failed"), "\(health.stdout)")

        // A dump cut short (no completion line) is refused the same way.
        try FileManager.default.removeItem(at: root.appendingPathComponent("fail"))
        try Data().write(to: root.appendingPathComponent("cut"))
        let cut = try script("once", keep: 1)
        #expect(!cut.succeeded && cut.stdout.contains("cut short"), "\(cut.stdout)")
        #expect(try names() == (before + [BackupStatus.file]).sorted())

        // Then a good dump: healthy again, the retention runs.
        try FileManager.default.removeItem(at: root.appendingPathComponent("cut"))
        let good = try script("once", keep: 1)
        #expect(good.succeeded, "\(good.stdout)\(good.stderr)")
        #expect(DumpFile.complete(in: try names(), database: "wordpress").count == 1)
        #expect(try script("health").succeeded)
        #expect(try readStatus().lastAttemptOk)
    }

    /// A full backup volume (a 1 MiB tmpfs here; root only): the dump fails with the reason, the
    /// older dumps stay, no partial file is left, status.json and the health check say so.
    @Test(.enabled(if: getuid() == 0, "mounting a tiny filesystem needs root"))
    func aFullBackupVolumeFailsTheDumpAndKeepsTheOldOnes() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let mounted = try Command("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0755", "brickctl-test", backups]).run(
            timeout: 30)
        try #require(mounted.succeeded, "\(mounted.stderr)")
        defer { _ = try? Command("umount", [backups]).run(timeout: 30) }
        let first = try script("once")
        try #require(first.succeeded, "\(first.stdout)")
        let before = try names()
        try Data().write(to: root.appendingPathComponent("big"))

        let full = try script("once")
        #expect(!full.succeeded)
        #expect(full.stdout.contains("FAILED") && full.stdout.contains("No space left"), "\(full.stdout)")
        let after = try names()
        #expect(after == before, "the old dump stays, no partial file is left: \(after)")
        let status = try readStatus()
        #expect(!status.lastAttemptOk)
        #expect(status.lastError?.message.contains("No space left") == true)
        #expect(status.lastGood?.file == DumpFile.newest(in: before, database: "wordpress")?.name)
        let health = try script("health")
        #expect(!health.succeeded && health.stdout.contains("the last dump failed"), "\(health.stdout)")
    }

    /// A database without tables (deployed, WordPress not installed yet) is dumped all the same
    /// and said so (the loop then looks every 30 s and dumps as soon as tables appear).
    @Test func aDatabaseWithoutTablesIsDumpedAndSaidSo() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = try script("once")
        #expect(
            empty.succeeded && empty.stdout.contains("has no tables yet (the site is not installed)"), "\(empty.stdout)"
        )
        try "12\n".write(to: root.appendingPathComponent("tables"), atomically: true, encoding: .utf8)
        let installed = try script("once")
        #expect(installed.succeeded && !installed.stdout.contains("no tables yet"), "\(installed.stdout)")
    }

    /// `brickctl-backup restore FILE` (what `stack restore` runs): the sha256 first, then the
    /// server's version against the dump's, a database with tables refused, the dump loaded.
    @Test func restoreChecksThenLoadsIntoAFreshDatabase() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try script("once")
        try #require(run.succeeded, "\(run.stdout)")
        let dump = try #require(DumpFile.newest(in: try names(), database: "wordpress"))
        let path = "\(backups)/\(dump.name)"
        let loaded = root.appendingPathComponent("loaded").path

        // A dump from a newer MariaDB major than the server: refused, nothing loaded.
        let newer = try script("restore", [path], server: "9.0.1-MariaDB")
        #expect(!newer.succeeded && newer.stdout.contains("REFUSED: the dump comes from MariaDB 10"), "\(newer.stdout)")
        #expect(!FileManager.default.fileExists(atPath: loaded))

        // A database that has tables already: refused.
        try "12\n".write(to: root.appendingPathComponent("tables"), atomically: true, encoding: .utf8)
        let busy = try script("restore", [path], restoreID: "r0")
        #expect(!busy.succeeded && busy.stdout.contains("already has 12 tables"), "\(busy.stdout)")
        let refused = RestoreReport(
            text: try String(contentsOfFile: "\(backups)/\(RestoreReport.fileName(id: "r0"))", encoding: .utf8))
        #expect(refused.refusedOverExistingTables && refused.restored == nil, "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: loaded))
        try FileManager.default.removeItem(at: root.appendingPathComponent("tables"))

        // With RESTORE_ID (as `stack restore` runs it), what it says is also left beside the dumps.
        let good = try script("restore", [path], restoreID: "r1")
        #expect(good.succeeded && good.stdout.contains("RESTORED \(dump.name) into wordpress"), "\(good.stdout)")
        #expect(good.stdout.contains("7 published posts"))
        let report = RestoreReport(
            text: try String(contentsOfFile: "\(backups)/\(RestoreReport.fileName(id: "r1"))", encoding: .utf8))
        #expect(report.restored?.hasPrefix("RESTORED \(dump.name) into wordpress") == true, "\(report)")
        #expect(report.publishedPosts == 7)
        #expect(!(try names()).contains { $0.hasSuffix(".tmp") })
        let text = try String(contentsOfFile: loaded, encoding: .utf8)
        #expect(text.contains("INSERT INTO wp_posts VALUES (1),(2);") && text.contains("-- Dump completed"))

        // A corrupt dump: refused before the server is asked anything.
        try FileManager.default.removeItem(atPath: loaded)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("x".utf8))
        try handle.close()
        let corrupt = try script("restore", [path])
        #expect(!corrupt.succeeded && corrupt.stdout.contains("does not match its .sha256"), "\(corrupt.stdout)")
        #expect(!FileManager.default.fileExists(atPath: loaded))
    }
}
