// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (Codable fields named as restic's JSON field names)

/// One line of `restic backup --json`: a progress report while it runs, the summary at the end,
/// or an error about one file. Decoded from restic's own field names (restic 0.14,
/// `internal/ui/backup/json.go`).
public enum ResticMessage: Equatable, Sendable {
    case status(Status)
    case summary(Summary)
    case error(String)
    /// A line of another kind (verbose_status) or not JSON: ignored.
    case other

    public struct Status: Codable, Equatable, Sendable {
        public var percent_done: Double?
        public var seconds_elapsed: Int?
        public var seconds_remaining: Int?
        public var total_files: Int?
        public var files_done: Int?
        public var total_bytes: Int64?
        public var bytes_done: Int64?
    }

    public struct Summary: Codable, Equatable, Sendable {
        public var files_new: Int
        public var files_changed: Int
        public var files_unmodified: Int
        public var data_added: Int64
        public var total_files_processed: Int
        public var total_bytes_processed: Int64
        public var total_duration: Double
        public var snapshot_id: String
    }

    private struct Kind: Decodable {
        var message_type: String
        var error: ErrorText?
        var item: String?
        struct ErrorText: Decodable { var message: String? }
    }

    /// Parses one line of output.
    public init(line: some StringProtocol) {
        let data = Array(line.utf8)
        guard data.first == UInt8(ascii: "{"), let kind = try? JSONDecoding.decode(Kind.self, from: data) else {
            self = .other
            return
        }
        switch kind.message_type {
        case "status":
            self = (try? JSONDecoding.decode(Status.self, from: data)).map(ResticMessage.status) ?? .other
        case "summary":
            self = (try? JSONDecoding.decode(Summary.self, from: data)).map(ResticMessage.summary) ?? .other
        case "error":
            self = .error([kind.item, kind.error?.message].compactMap { $0 }.joined(separator: ": "))
        default:
            self = .other
        }
    }
}

extension ResticMessage.Status {
    /// brickctl's progress line: `42% 1200/3000 files 120.0/300.0 MiB, 12 s left`.
    public var line: String {
        var parts: [String] = []
        if let percent_done { parts.append("\(Int((percent_done * 100).rounded(.down)))%") }
        if let total_files { parts.append("\(files_done ?? 0)/\(total_files) files") }
        if let total_bytes { parts.append("\(Self.mebibytes(bytes_done ?? 0))/\(Self.mebibytes(total_bytes)) MiB") }
        var line = parts.joined(separator: " ")
        if let seconds_remaining, seconds_remaining > 0 { line += ", \(seconds_remaining) s left" }
        return line
    }

    public static func mebibytes(_ bytes: Int64) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10).\(tenths % 10)"
    }
}
