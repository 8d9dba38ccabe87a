import Foundation
public import Logging

extension Logger {
    /// The plugin's logger, handed to its ServiceGroup, server and driver: one line per event on
    /// stderr, `brickctl plugin: MESSAGE` (journald stamps and keeps them:
    /// `journalctl -u brickctl-plugin`), info and above.
    public static func plugin() -> Logger {
        Logger(label: "brickctl.plugin") { _ in PluginLogHandler() }
    }
}

/// Writes `brickctl plugin: MESSAGE [key=value ...]` to stderr, the form the plugin's lines have
/// always had (no time stamp: journald adds one).
struct PluginLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let tail =
            all.isEmpty
            ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        FileHandle.standardError.write(Data("brickctl plugin: \(event.message)\(tail)\n".utf8))
    }
}
