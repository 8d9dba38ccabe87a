public import Foundation

/// Everything the plugin knows, as saved in `STATE_DIR/state.json` after every change: the
/// volumes and who holds them mounted. A restarted plugin (even after `kill -9`) starts from it.
public struct PluginState: Codable, Sendable, Hashable {
    public static let currentVersion = 1

    public var version: Int = PluginState.currentVersion
    public var volumes: [String: PluginVolume] = [:]
    public var references = MountReferences()
    /// The boot the references belong to (`/proc/sys/kernel/random/boot_id`): after a reboot no
    /// container holds anything, so they are dropped.
    public var bootID: String?

    public init() {}

    /// Reads a saved state.
    /// - Throws: `PluginError` (`io`) for a file that is not a state file or is from a newer brickctl.
    public init(json data: Data) throws(PluginError) {
        let decoded: PluginState
        do {
            decoded = try PluginState.decoder.decode(PluginState.self, from: data)
        } catch {
            throw PluginError(
                .io,
                "the plugin state file is damaged: move it aside and restart (volumes are found again from their markers)",
                cause: "\(error)")
        }
        guard decoded.version <= PluginState.currentVersion else {
            throw PluginError(
                .io,
                "the plugin state file was written by a newer brickctl (version \(decoded.version)): upgrade brickctl")
        }
        self = decoded
    }

    /// The state as saved: sorted keys, so two equal states are equal bytes.
    public func json() -> Data {
        (try? PluginState.encoder.encode(self)) ?? Data()
    }

    /// The references alone, as saved in their own small file on every Mount and Unmount (the
    /// volumes' file is rewritten only when a volume is made or forgotten).
    public func referencesJSON() -> Data {
        (try? JSONEncoder().encode(References(bootID: bootID, references: references))) ?? Data()
    }

    /// Takes the references of a `referencesJSON()` file when they belong to this state's boot.
    /// Prefer `restored(saved:references:boot:)`, which compares with the running boot.
    /// - Throws: `PluginError` (`io`) for a damaged file.
    public mutating func adoptReferences(json data: Data) throws(PluginError) {
        do {
            _ = try JSONDecoder().decode(References.self, from: data)
        } catch {
            throw PluginError(
                .io,
                "the plugin's references file is damaged: move it aside and restart (running containers keep their mounts)",
                cause: "\(error)")
        }
        self = Self.restored(saved: self, references: data, boot: bootID).state
    }

    struct References: Codable {
        var bootID: String?
        var references: MountReferences
    }

    /// Shared volumes on `glusterVolume` that some mount ID holds: the FUSE mount stays while any.
    public func isFuseMountHeld(_ glusterVolume: String) -> Bool {
        volumes.values.contains {
            $0.glusterVolume == glusterVolume && references.isHeld($0.name)
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// A volume's marker file contents (what other hosts' plugins read).
    public static func marker(_ volume: PluginVolume) -> Data {
        (try? encoder.encode(volume)) ?? Data()
    }

    public static func volume(fromMarker data: Data) throws(PluginError) -> PluginVolume {
        do {
            return try decoder.decode(PluginVolume.self, from: data)
        } catch {
            throw PluginError(.io, "a volume marker on Gluster is unreadable", cause: "\(error)")
        }
    }
}
