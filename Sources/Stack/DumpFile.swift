public import Foundation

/// One database dump the `backup` service wrote: `DATABASE-YYYYMMDDTHHMMSSZ.sql.zst` (UTC), with
/// `NAME.sha256` beside it once it is complete.
///
/// Pure: names parsed and compared as values; the retention choice (`expired`) and the restore's
/// choice (`newest`) are made here, the service's script makes the same ones in shell.
public struct DumpFile: Equatable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var database: String
    /// The UTC time in the name, `YYYYMMDDTHHMMSSZ`: sorts like the time itself.
    public var stamp: String

    public static let suffix = ".sql.zst"
    public static let checksumSuffix = ".sha256"

    public init?(name: String) {
        guard name.hasSuffix(Self.suffix) else { return nil }
        let stem = name.dropLast(Self.suffix.count)
        guard let dash = stem.lastIndex(of: "-") else { return nil }
        let database = String(stem[..<dash])
        let stamp = String(stem[stem.index(after: dash)...])
        let bytes = Array(stamp.utf8)
        guard !database.isEmpty, bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
            (bytes[0..<8] + bytes[9..<15]).allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        self.database = database
        self.stamp = stamp
    }

    /// `date` as a name's stamp, `YYYYMMDDTHHMMSSZ` (UTC).
    public static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 1970)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }

    public var name: String { "\(database)-\(stamp)\(Self.suffix)" }
    public var checksumName: String { name + Self.checksumSuffix }
    public var description: String { name }

    /// The time in ISO 8601 (`2026-12-07T00:30:00Z`).
    public var time: String {
        let s = Array(stamp)
        return
            "\(String(s[0..<4]))-\(String(s[4..<6]))-\(String(s[6..<8]))T\(String(s[9..<11])):\(String(s[11..<13])):\(String(s[13..<15]))Z"
    }

    public static func < (a: DumpFile, b: DumpFile) -> Bool { (a.stamp, a.database) < (b.stamp, b.database) }

    /// The complete dumps of `database` among the names of a folder (a dump counts once its
    /// `.sha256` is there), newest first.
    public static func complete(in names: some Sequence<String>, database: String) -> [DumpFile] {
        let all = Set(names)
        return all.compactMap(DumpFile.init(name:))
            .filter { $0.database == database && all.contains($0.checksumName) }
            .sorted(by: >)
    }

    /// The newest complete dump of `database` in a folder's names, nil when there is none.
    public static func newest(in names: some Sequence<String>, database: String) -> DumpFile? {
        complete(in: names, database: database).first
    }

    /// What the retention removes from a folder's names keeping the newest `keep` complete dumps
    /// of `database`: the older complete dumps, and dumps without their `.sha256` (never completed).
    /// Other files are never chosen.
    public static func expired(in names: some Sequence<String>, database: String, keep: Int) -> [DumpFile] {
        let all = Set(names)
        let dumps = all.compactMap(DumpFile.init(name:)).filter { $0.database == database }
        let complete = dumps.filter { all.contains($0.checksumName) }.sorted(by: >)
        let incomplete = dumps.filter { !all.contains($0.checksumName) }
        return (Array(complete.dropFirst(max(keep, 0))) + incomplete).sorted()
    }
}

/// A dump's `.sha256` file (sha256sum's format: `HEX  NAME`).
public struct DumpChecksum: Equatable, Sendable {
    public var sha256: String
    public var name: String

    public var text: String { "\(sha256)  \(name)\n" }
}

extension DumpChecksum {
    /// Parses the first line; nil unless it is 64 lowercase hex digits, two spaces (or " *"), a name.
    public init?(text: String) {
        guard let line = text.split(separator: "\n", omittingEmptySubsequences: false).first else { return nil }
        let parts = line.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].count == 64,
            parts[0].allSatisfy({ ("0"..."9").contains($0) || ("a"..."f").contains($0) })
        else { return nil }
        var name = parts[1]
        if name.hasPrefix(" ") || name.hasPrefix("*") { name = name.dropFirst() }
        guard !name.isEmpty else { return nil }
        self.sha256 = String(parts[0])
        self.name = String(name)
    }
}
