import Backup
import BrickctlTestSupport
import Foundation
import HostIO
import Testing

/// `DumpFolder.createsTables`: what `stack restore` checks before it loads a dump, run on real
/// zstd files (the same zstd the backup service writes them with).
/// Skipped only outside CI and without root when zstd is missing; in CI it always runs.
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zstd")
            || ProcessInfo.processInfo.environment["CI"] != nil || getuid() == 0,
        "zstd is not installed and this is neither root nor CI"), .offCooperativePool)
struct DumpFolderTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("brickctl-dumps-\(UUID())").path

    /// `sql` compressed as the backup service does, at FOLDER/NAME.
    func dump(_ name: String, _ sql: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/\(name)"
        let out = try Command("zstd", ["-q", "-3", "-o", path]).run(input: sql, timeout: 30)
        try #require(out.succeeded, "\(out.stderr)")
        return path
    }

    @Test func aDumpOfAnEmptyDatabaseCreatesNoTables() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let header = "-- MariaDB dump 10.19\n-- Server version\t10.11.6-MariaDB\n/*!40101 SET NAMES utf8mb4 */;\n"
        let empty = try dump("wordpress-20261207T233300Z.sql.zst", header + "-- Dump completed on 2026-12-07\n")
        #expect(try DumpFolder.createsTables(file: empty, timeout: 30) == false)

        // A site's dump: found at its first table, without reading the rest (here 40 MB of rows).
        let rows = String(repeating: "INSERT INTO `wp_posts` VALUES (1,'x');\n", count: 1_000_000)
        let site = try dump(
            "wordpress-20261207T234500Z.sql.zst",
            header + "DROP TABLE IF EXISTS `wp_posts`;\nCREATE TABLE `wp_posts` (\n  `ID` bigint\n);\n" + rows
                + "-- Dump completed on 2026-12-07\n")
        #expect(try DumpFolder.createsTables(file: site, timeout: 30))
    }

    @Test func aFileThatIsNotZstdIsUnreadable() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = "\(folder)/wordpress-20261207T233300Z.sql.zst"
        try "CREATE TABLE x;\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            throws: BackupError.dumpUnreadable(dump: "wordpress-20261207T233300Z.sql.zst", reason: "zstd -dcq exited 1")
        ) {
            try DumpFolder.createsTables(file: path, timeout: 30)
        }
    }
}
