import Crypto
import Foundation
import HostIO
public import Stack

/// The folder the `backup` service writes its dumps into (the `NAME_backups` volume, mounted
/// here): the newest complete dump, its sha256 verified, and a fresh dump on request.
public struct DumpFolder: Sendable {
    public var path: String
    public var database: String

    public init(path: String, database: String = WordPressStack.databaseName) {
        self.path = path
        self.database = database
    }

    func names() throws(BackupError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
            let names = try? FileManager.default.contentsOfDirectory(atPath: path)
        else { throw .notAFolder(path) }
        return names
    }

    /// The complete dumps, newest first.
    public func dumps() throws(BackupError) -> [DumpFile] { DumpFile.complete(in: try names(), database: database) }

    /// The newest complete dump.
    /// - Throws: `BackupError.noDump` when there is none.
    public func newest() throws(BackupError) -> DumpFile {
        guard let dump = try dumps().first else { throw .noDump(folder: path, database: database) }
        return dump
    }

    public func path(of dump: DumpFile) -> String { "\(path)/\(dump.name)" }

    /// The service's status file, nil when absent or unreadable.
    public func status() -> BackupStatus? {
        guard let data = FileManager.default.contents(atPath: "\(path)/\(BackupStatus.file)") else { return nil }
        return try? JSONDecoder().decode(BackupStatus.self, from: data)
    }

    /// Checks `dump`'s bytes against its .sha256 before anything uses it.
    /// - Returns: the sha256 (hex).
    /// - Throws: `BackupError.checksumMissing` / `.checksumMismatch`.
    @discardableResult
    public func verify(_ dump: DumpFile) throws(BackupError) -> String {
        try Self.verify(file: path(of: dump), checksumFile: "\(path)/\(dump.checksumName)")
    }

    /// Checks the bytes of `file` against the sha256sum-format `checksumFile`.
    public static func verify(file: String, checksumFile: String) throws(BackupError) -> String {
        let name = URL(fileURLWithPath: file).lastPathComponent
        guard let text = try? String(contentsOfFile: checksumFile, encoding: .utf8),
            let recorded = DumpChecksum(text: text)
        else { throw .checksumMissing(dump: name) }
        guard let actual = sha256(of: file) else { throw .checksumMissing(dump: name) }
        guard actual == recorded.sha256 else {
            throw .checksumMismatch(dump: name, expected: recorded.sha256, actual: actual)
        }
        return actual
    }

    /// Whether the dump `file` (zstd-compressed SQL) creates at least one table. A dump of an
    /// empty database, such as the one the backup service takes right after a deploy, before
    /// WordPress is installed, creates none: loading it would leave an empty site. Reads only up
    /// to the first `CREATE TABLE` (near the start of a dump that has one).
    ///
    /// Runs `zstd -dcq FILE`.
    /// - Throws: `BackupError.dumpUnreadable` when zstd cannot be run or does not end within
    ///   `timeout` seconds.
    public static func createsTables(file: String, timeout: Double) throws(BackupError) -> Bool {
        let name = URL(fileURLWithPath: file).lastPathComponent
        let child: ChildProcess
        do {
            child = try Command("zstd", ["-dcq", file]).spawn(stdout: .pipe, stderr: .null)
        } catch {
            throw .dumpUnreadable(dump: name, reason: "\(error)")
        }
        var found = false
        let ended = LineReader.read(child.standardOutput, deadline: .now + .seconds(timeout)) { line in
            found = line.hasPrefix("CREATE TABLE")
            return !found
        }
        if found || !ended {
            _ = child.terminate()
        } else if let status = try? child.wait(timeout: 30), status != 0 {
            throw .dumpUnreadable(dump: name, reason: "zstd -dcq exited \(status)")
        }
        guard ended else { throw .dumpUnreadable(dump: name, reason: "no end within \(Int(timeout)) s") }
        return found
    }

    /// The sha256 of a file's bytes (hex), read in 1 MiB blocks; nil when it cannot be read.
    public static func sha256(of file: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: file) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // nil (or empty) at the end of the file.
            while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
                hasher.update(data: block)
            }
        } catch {
            return nil
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Asks the backup service for a dump now (a `dump-now` file it looks for every few seconds)
    /// and waits until a complete dump newer than the request is there, at most `seconds`.
    /// - Throws: `BackupError.freshDumpTimedOut` with the service's last error, if any.
    public func freshDump(seconds: Int) async throws -> DumpFile {
        let requested = Self.stamp(Date())
        let request = "\(path)/\(BackupStatus.dumpNowFile)"
        guard FileManager.default.createFile(atPath: request, contents: Data()) else {
            throw BackupError.notAFolder(path)
        }
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let dump = try? newest(), dump.stamp >= requested { return dump }
            try await Task.sleep(for: .seconds(1))
        }
        throw BackupError.freshDumpTimedOut(folder: path, seconds: seconds, lastError: status()?.lastError?.message)
    }

    /// `YYYYMMDDTHHMMSSZ` of a time (UTC), as in dump names.
    static func stamp(_ date: Date) -> String {
        DateFormatter.utc("yyyyMMdd'T'HHmmss'Z'").string(from: date)
    }
}
