import Foundation

/// How the plugin is set up: `/etc/brickctl/plugin.json`, overridden by flags.
public struct PluginConfiguration: Codable, Sendable, Equatable {
    public static let defaultPath = "/etc/brickctl/plugin.json"
    /// What a shared volume's request is told when no server is set.
    static let noServers =
        "no Gluster server is configured: set \"servers\": [\"HOST1\", \"HOST2\"] in \(defaultPath)"
    public static let defaultSocket = "/run/docker/plugins/brickctl.sock"
    public static let defaultStateDirectory = "/var/lib/brickctl/plugin"

    /// Gluster servers to fetch the volume file from, in order (the rest are failover).
    public var servers: [String] = []
    /// The Gluster volume for shared volumes without `-o volume=`.
    public var volume: String?
    public var stateDirectory: String = PluginConfiguration.defaultStateDirectory
    /// Where `type=local` volumes go: a folder on a disk `brickctl prepare` made (nil: none).
    public var localRoot: String?
    public var socket: String = PluginConfiguration.defaultSocket
    /// This host's name, as written into markers (default: the hostname).
    public var host: String?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case servers, volume
        case stateDirectory = "stateDir"
        case localRoot, socket, host
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        servers = try c.decodeIfPresent([String].self, forKey: .servers) ?? []
        volume = try c.decodeIfPresent(String.self, forKey: .volume)
        stateDirectory = try c.decodeIfPresent(String.self, forKey: .stateDirectory) ?? Self.defaultStateDirectory
        localRoot = try c.decodeIfPresent(String.self, forKey: .localRoot)
        socket = try c.decodeIfPresent(String.self, forKey: .socket) ?? Self.defaultSocket
        host = try c.decodeIfPresent(String.self, forKey: .host)
    }

    /// Reads `path`; a missing file at the default path is an empty configuration.
    /// - Throws: `PluginError` (`bad-option`) for a file that is not valid JSON of this shape.
    public static func load(path: String?) throws(PluginError) -> PluginConfiguration {
        let file = path ?? defaultPath
        guard let data = FileManager.default.contents(atPath: file) else {
            if path == nil { return PluginConfiguration() }
            throw PluginError(
                .badOption, "cannot read the plugin configuration \(file): create it")
        }
        do {
            return try JSONDecoder().decode(PluginConfiguration.self, from: data)
        } catch {
            throw PluginError(
                .badOption,
                "\(file) is not a plugin configuration: expected {\"servers\": [\"h1\", \"h2\"], \"volume\": \"gv0\", \"stateDir\": ..., \"localRoot\": ..., \"socket\": ...}",
                cause: "\(error)")
        }
    }

    /// The state file inside the state directory.
    public var stateFile: String { "\(stateDirectory)/state.json" }
    /// The mount references (rewritten on every Mount and Unmount), beside the state file.
    public var referencesFile: String { "\(stateDirectory)/references.json" }
    /// Where the FUSE mount of Gluster volume `name` goes.
    public func mountPoint(of glusterVolume: String) -> String { "\(stateDirectory)/mounts/\(glusterVolume)" }
    /// The glusterfs client's log for that mount (read when a mount fails).
    public func mountLog(of glusterVolume: String) -> String { "\(stateDirectory)/logs/\(glusterVolume).log" }
}
