import BrickctlTestSupport
import Testing

@testable import Stack

/// The loader's report that `stack restore` reads beside the dumps (`BackupScript`'s restore).
@Suite(.offCooperativePool) struct RestoreReportTests {
    @Test func aLoadedDumpNamesItsPublishedPosts() {
        let report = RestoreReport(
            text: "RESTORED wordpress-20261207T003000Z.sql.zst into wordpress in 3 s: 12 published posts\n")
        #expect(
            report.restored == "RESTORED wordpress-20261207T003000Z.sql.zst into wordpress in 3 s: 12 published posts")
        #expect(report.publishedPosts == 12)
        #expect(!report.refusedOverExistingTables)
        #expect(RestoreReport.fileName(id: "20261207T003000Z-42") == ".restore-20261207T003000Z-42")
    }

    @Test func aForcedLoadCountsTooAndAnUncountedOneIsNil() {
        let forced = RestoreReport(
            text: """
                database wordpress has 12 tables: saving it as a dump beside the others before loading
                wrote wordpress-20261207T004000Z.sql.zst (812 bytes, sha256 ab) in 1 s; 3 dumps kept (at most 1000000)

                RESTORED wordpress-20261207T003000Z.sql.zst into wordpress in 2 s: 3 published posts
                """)
        #expect(forced.lines.count == 3)
        #expect(forced.publishedPosts == 3)
        #expect(!forced.refusedOverExistingTables)
        #expect(RestoreReport(lines: ["RESTORED x into wordpress in 1 s: ? published posts"]).publishedPosts == nil)
    }

    @Test func refusalsAreNotALoad() {
        let busy = RestoreReport(lines: [
            "REFUSED: database wordpress already has 12 tables (not a fresh database); nothing was loaded"
        ])
        #expect(busy.restored == nil && busy.publishedPosts == nil)
        #expect(busy.refusedOverExistingTables)
        let corrupt = RestoreReport(lines: [
            "REFUSED: /backups/x does not match its .sha256 (corrupt or truncated); nothing was loaded"
        ])
        #expect(corrupt.restored == nil && !corrupt.refusedOverExistingTables)
        #expect(RestoreReport(text: "").lines.isEmpty)
    }
}
