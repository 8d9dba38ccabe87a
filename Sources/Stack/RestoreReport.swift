/// What the one-off loader of `stack restore` (`brickctl-backup restore FILE`, `BackupScript`)
/// said, as it leaves it beside the dumps on the backups volume: one line per message
/// (`REFUSED: …`, `FAILED: …`, `RESTORED NAME into DB in S s: N published posts`), written to
/// `.restore-ID.tmp` and renamed to `fileName(id:)` when the loader exits. `stack restore` reads
/// this file, not the task's log: a task's log can reach `docker service logs` late or not at all
/// (a full CI run saw none 90 s after the task was Complete).
public struct RestoreReport: Equatable, Sendable {
    /// The loader's messages, in order.
    public var lines: [String]

    public init(lines: [String]) { self.lines = lines }

    /// The file's text (one message per line; empty lines ignored).
    public init(text: String) {
        lines = text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The report's name beside the dumps for the loader run `id` (given to it as RESTORE_ID).
    public static func fileName(id: String) -> String { ".restore-\(id)" }

    /// The `RESTORED …` line: the dump was loaded.
    public var restored: String? { lines.first { $0.hasPrefix("RESTORED") } }

    /// The published posts the loader counted after loading ("…: 7 published posts"); nil before
    /// a load, or when it could not count them ("?").
    public var publishedPosts: Int? {
        restored?.split(separator: ":").last?.split(separator: " ").first.flatMap { Int($0) }
    }

    /// The loader refused because the database already had tables (`--force` loads over it).
    public var refusedOverExistingTables: Bool {
        lines.contains { $0.contains("already has") && $0.contains("tables") }
    }
}
