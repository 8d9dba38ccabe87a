/// `status.json` beside the dumps on the `NAME_backups` volume, written atomically by the backup
/// service after every attempt (`BackupScript`). What `brickctl status` and `stack restore` read.
///
/// ```json
/// {"version":1,"database":"wordpress","intervalSeconds":900,"keep":96,
///  "updated":"2026-12-07T00:30:02Z","lastAttemptOk":true,"dumps":12,
///  "lastGood":{"file":"wordpress-20261207T003000Z.sql.zst","time":"2026-12-07T00:30:00Z",
///              "bytes":48213,"sha256":"9f…"},
///  "lastError":{"time":"2026-12-07T00:15:00Z","message":"mariadb-dump exited 2: …"}}
/// ```
/// `lastGood` is null before the first good dump; `lastError` is null until a dump fails and then
/// stays (with its time) until the service restarts, so an old failure is still visible.
public struct BackupStatus: Codable, Equatable, Sendable {
    public var version: Int
    public var database: String
    public var intervalSeconds: Int
    public var keep: Int
    /// When the service wrote this file (UTC, ISO 8601).
    public var updated: String
    public var lastAttemptOk: Bool
    /// Complete dumps on the volume.
    public var dumps: Int
    public var lastGood: GoodDump?
    public var lastError: DumpError?

    public struct GoodDump: Codable, Equatable, Sendable {
        public var file: String
        public var time: String
        public var bytes: Int
        public var sha256: String
    }

    public struct DumpError: Codable, Equatable, Sendable {
        public var time: String
        public var message: String
    }

    /// The file's name beside the dumps.
    public static let file = "status.json"
    /// The file whose presence makes the service dump at once (`brickctl backup create`).
    public static let dumpNowFile = "dump-now"
}
