// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (Codable fields named as restic's JSON field names)

public import Stack

/// A snapshot as `restic snapshots --json` lists it, and the tags brickctl gives its own.
public struct BackupSnapshot: Codable, Equatable, Sendable {
    public var id: String
    public var short_id: String
    public var time: String
    public var hostname: String
    public var paths: [String]
    public var tags: [String]?

    /// The value of tag `key=VALUE`, nil when absent.
    public func tag(_ key: String) -> String? {
        (tags ?? []).first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    public var stack: String? { tag("stack") }
    /// The dump's file name inside the snapshot.
    public var dump: String? { tag("dump") }
    public var dumpTime: String? { tag("dump-time") }

    /// The tag every snapshot brickctl makes carries.
    public static let marker = "brickctl"

    /// The tags of a snapshot of `stack` holding `dump`: what `list` and `stack restore` read back.
    public static func tags(stack: String, dump: DumpFile, wordpressVersion: String?) -> [String] {
        var tags = [marker, "stack=\(stack)", "dump=\(dump.name)", "dump-time=\(dump.time)"]
        if let wordpressVersion { tags.append("wordpress=\(wordpressVersion)") }
        return tags
    }

    /// The WordPress version in a page of the site: its RSS feed's `<generator>…?v=6.1.9</generator>`
    /// or a page's `<meta name="generator" content="WordPress 6.1.9" />`; nil when neither is there.
    public static func wordpressVersion(inPage page: String) -> String? {
        func version(after marker: String) -> String? {
            guard let range = page.range(of: marker) else { return nil }
            let value = page[range.upperBound...].prefix { $0.isNumber || $0 == "." }
            return value.isEmpty ? nil : String(value)
        }
        return version(after: "wordpress.org/?v=") ?? version(after: "content=\"WordPress ")
    }

    public var wordpressVersion: String? { tag("wordpress") }

    /// The restic host name of every snapshot of `stack`, whichever node made it: restic finds the
    /// previous snapshot (its parent, for a fast rescan) and groups `forget` by it.
    public static func host(stack: String) -> String { "brickctl-\(stack)" }
}
