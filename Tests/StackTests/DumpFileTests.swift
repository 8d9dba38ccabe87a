import BrickctlTestSupport
import Stack
import Testing

/// The dump names, the retention choice and the restore's choice of the newest dump (pure).
@Suite(.offCooperativePool) struct DumpFileTests {
    @Test func namesParseAndSortByTime() throws {
        let dump = try #require(DumpFile(name: "wordpress-20261207T003000Z.sql.zst"))
        #expect(dump.database == "wordpress" && dump.stamp == "20261207T003000Z")
        #expect(dump.time == "2026-12-07T00:30:00Z")
        #expect(dump.checksumName == "wordpress-20261207T003000Z.sql.zst.sha256")
        #expect(DumpFile(name: "my-db-20261207T003000Z.sql.zst")?.database == "my-db")
        for bad in [
            "wordpress-20261207T003000Z.sql", "wordpress-2026120T003000Z.sql.zst", "-20261207T003000Z.sql.zst",
            "wordpress-20261207X003000Z.sql.zst", ".tmp-wordpress-20261207T00300aZ.sql.zst", "status.json",
        ] {
            #expect(DumpFile(name: bad) == nil, "\(bad)")
        }
        #expect(
            try #require(DumpFile(name: "a-20251231T235959Z.sql.zst"))
                < #require(DumpFile(name: "a-20260101T000000Z.sql.zst")))
    }

    static let folder = [
        "wordpress-20261201T000000Z.sql.zst", "wordpress-20261201T000000Z.sql.zst.sha256",
        "wordpress-20261202T000000Z.sql.zst", "wordpress-20261202T000000Z.sql.zst.sha256",
        "wordpress-20261203T000000Z.sql.zst", "wordpress-20261203T000000Z.sql.zst.sha256",
        "wordpress-20261204T000000Z.sql.zst", "wordpress-20261204T000000Z.sql.zst.sha256",
        // Renamed into place, its .sha256 never written (a crash between the two renames).
        "wordpress-20261205T000000Z.sql.zst",
        // Another database's dump, the status file, a temp file: never chosen.
        "other-20261101T000000Z.sql.zst", "other-20261101T000000Z.sql.zst.sha256", "status.json",
        ".tmp-wordpress-20261206T000000Z.sql.zst",
    ]

    @Test func retentionKeepsTheNewestCompleteDumps() {
        let expired = DumpFile.expired(in: Self.folder, database: "wordpress", keep: 2).map(\.name)
        #expect(
            expired == [
                "wordpress-20261201T000000Z.sql.zst", "wordpress-20261202T000000Z.sql.zst",
                "wordpress-20261205T000000Z.sql.zst",
            ])
        // Keeping more than there are removes only the incomplete one.
        #expect(
            DumpFile.expired(in: Self.folder, database: "wordpress", keep: 96).map(\.name) == [
                "wordpress-20261205T000000Z.sql.zst"
            ])
        #expect(DumpFile.expired(in: Self.folder, database: "other", keep: 1).isEmpty)
        #expect(DumpFile.expired(in: [String](), database: "wordpress", keep: 1).isEmpty)
    }

    @Test func theNewestCompleteDumpIsTheOneToRestore() {
        #expect(DumpFile.newest(in: Self.folder, database: "wordpress")?.name == "wordpress-20261204T000000Z.sql.zst")
        #expect(DumpFile.complete(in: Self.folder, database: "wordpress").count == 4)
        #expect(DumpFile.newest(in: ["status.json"], database: "wordpress") == nil)
    }

    @Test func checksumFilesParse() throws {
        let sum = String(repeating: "ab", count: 32)
        let parsed = try #require(DumpChecksum(text: "\(sum)  wordpress-20261204T000000Z.sql.zst\n"))
        #expect(parsed.sha256 == sum && parsed.name == "wordpress-20261204T000000Z.sql.zst")
        #expect(DumpChecksum(text: parsed.text) == parsed)
        #expect(DumpChecksum(text: "\(sum) *x.sql.zst")?.name == "x.sql.zst")
        #expect(DumpChecksum(text: "abc  x.sql.zst") == nil)
        #expect(DumpChecksum(text: "") == nil)
        #expect(DumpChecksum(text: String(repeating: "AB", count: 32) + "  x") == nil)
    }
}

@Suite(.offCooperativePool) struct BackupScheduleTests {
    @Test func intervalsParse() {
        #expect(BackupSchedule.seconds(of: "15m") == 900)
        #expect(BackupSchedule.seconds(of: "90s") == 90)
        #expect(BackupSchedule.seconds(of: "90") == 90)
        #expect(BackupSchedule.seconds(of: "2h") == 7200)
        #expect(BackupSchedule.seconds(of: "1d") == 86400)
        for bad in ["", "m", "0m", "-5m", "1.5h", "15 m", "15min", "9999999999999999999d"] {
            #expect(BackupSchedule.seconds(of: bad) == nil, "\(bad)")
        }
        #expect(BackupSchedule.text(ofSeconds: 900) == "15m")
        #expect(BackupSchedule.text(ofSeconds: 90) == "90s")
        #expect(BackupSchedule.text(ofSeconds: 7200) == "2h")
    }

    @Test func outOfRangeSchedulesAreProblems() {
        #expect(BackupSchedule().problem == nil)
        #expect(BackupSchedule(everySeconds: 5).problem == .interval(5))
        #expect(BackupSchedule(everySeconds: 8 * 86400).problem == .interval(8 * 86400))
        #expect(BackupSchedule(keep: 0).problem == .keep(0))
    }
}
