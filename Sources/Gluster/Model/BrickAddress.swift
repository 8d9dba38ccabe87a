public import HostIO

/// A brick as Gluster names it: `host:/absolute/path`.
public struct BrickAddress: Hashable, Sendable, CodableAsText {
    public var host: String
    public var path: String

    public init(host: String, path: String) {
        self.host = host
        self.path = path
    }

    /// Parses `host:/path`; nil when there is no host or the path is not absolute.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let host = String(text[..<colon])
        let path = String(text[text.index(after: colon)...])
        guard !host.isEmpty, path.hasPrefix("/") else { return nil }
        self.init(host: host, path: path)
    }

    public var description: String { "\(host):\(path)" }

    /// JSON: `"host:/path"`.
    public init?(text: String) { self.init(parsing: text) }
    public static let textForm = "host:/path"
}
