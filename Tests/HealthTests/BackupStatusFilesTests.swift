import BrickctlTestSupport
import Foundation
import Testing

@testable import Health

/// The backup service's `status.json` (issue 17's format) read into backup age, from a folder laid
/// out as the plugin's FUSE mount of a Gluster volume is.
@Suite(.offCooperativePool) struct BackupStatusFilesTests {
    static let good = """
        {"version":1,"database":"wordpress","intervalSeconds":900,"keep":96,
         "updated":"2026-12-07T00:30:02Z","lastAttemptOk":true,"dumps":12,
         "lastGood":{"file":"wordpress-20261207T003000Z.sql.zst","time":"2026-12-07T00:30:00Z",
                     "bytes":48213,"sha256":"9f00"},
         "lastError":{"time":"2026-12-07T00:15:00Z","message":"mariadb-dump exited 2: gone"}}
        """
    static let failing = """
        {"version":1,"database":"wordpress","intervalSeconds":900,"keep":96,
         "updated":"2026-12-07T00:30:02Z","lastAttemptOk":false,"dumps":0,
         "lastGood":null,"lastError":{"time":"2026-12-07T00:30:00Z","message":"cannot connect"}}
        """

    /// A mount point with `/brickctl/volumes/NAME/status.json` for each (name, text); text nil: no file.
    func mount(_ volumes: [(String, String?)]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("backup-status-\(UUID().uuidString)")
            .path
        for (name, text) in volumes {
            let folder = "\(root)/brickctl/volumes/\(name)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let text { try text.write(toFile: "\(folder)/status.json", atomically: true, encoding: .utf8) }
        }
        return root
    }

    @Test func stacksAreTheBackupsVolumesOnly() {
        #expect(BackupObservation.stack(ofVolume: "wp_backups") == "wp")
        #expect(BackupObservation.stack(ofVolume: "my_site_backups") == "my_site")
        #expect(BackupObservation.stack(ofVolume: "_backups") == nil)
        #expect(BackupObservation.stack(ofVolume: "wp_uploads") == nil)
        #expect(BackupObservation.stack(ofVolume: "wp_backups2") == nil)
    }

    @Test func theNewestGoodDumpAndTheLastAttemptAreRead() throws {
        let root = try mount([
            ("wp_backups", Self.good), ("shop_backups", Self.failing), ("new_backups", nil),
            ("bad_backups", "{not json"), ("wp_uploads", Self.good),
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let read = BackupStatusFiles.read(mountPoint: root)
        #expect(read.map(\.stack) == ["bad", "new", "shop", "wp"])
        let wp = try #require(read.first { $0.stack == "wp" })
        #expect(wp.newestGoodDump == Date(timeIntervalSince1970: 1_796_603_400))  // 2026-12-07T00:30:00Z
        #expect(wp.file == "wordpress-20261207T003000Z.sql.zst")
        #expect(wp.lastAttemptOk == true)
        #expect(wp.source == "\(root)/brickctl/volumes/wp_backups/status.json")
        #expect(wp.age(at: Date(timeIntervalSince1970: 1_796_603_400 + 7200)) == 7200)
        let shop = try #require(read.first { $0.stack == "shop" })
        #expect(shop.newestGoodDump == nil && shop.lastAttemptOk == false && shop.lastError == "cannot connect")
        // A volume without a readable status file: a service known, no good dump yet.
        #expect(read.filter { ["new", "bad"].contains($0.stack) }.allSatisfy { $0.newestGoodDump == nil })
    }

    @Test func theAgeDrivesTheVerdictAndTheMetric() throws {
        let root = try mount([("wp_backups", Self.good)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dumped = Date(timeIntervalSince1970: 1_796_603_400)
        for (hours, tooOld) in [(2.0, false), (27.0, true)] {
            let site = SiteObservation(
                host: "n1", now: dumped.addingTimeInterval(hours * 3600),
                backups: BackupStatusFiles.read(mountPoint: root))
            let health = SiteHealth.assess(site)
            #expect(health.problems.contains { $0.code == .backupTooOld } == tooOld, "\(hours) h")
            let page = SiteMetrics.render(site, health: health, scrape: ScrapeFacts(durationSeconds: 0.1))
            #expect(page.contains("brickctl_backup_last_success_timestamp_seconds{stack=\"wp\"} 1796603400\n"))
            #expect(page.contains("brickctl_backup_last_attempt_ok{stack=\"wp\"} 1\n"))
        }
    }

    @Test func aFolderWithoutPluginVolumesHasNoBackups() {
        #expect(BackupStatusFiles.read(mountPoint: "/nonexistent-\(UUID().uuidString)").isEmpty)
    }
}
