public import Foundation

/// A reply of the Docker volume plugin protocol. Encoded as JSON with sorted keys; `Err` is ""
/// on success (Activate and Capabilities carry none).
public enum PluginReply: Encodable, Sendable, Equatable {
    /// `{"Implements":["VolumeDriver"]}`
    case activate
    /// `{"Capabilities":{"Scope":"global"}}`
    case capabilities
    /// `{"Err":""}`
    case ok
    /// `{"Err":"brickctl: MESSAGE"}`
    case error(String)
    /// Mount, Path: `{"Err":"","Mountpoint":PATH}`
    case mountpoint(String)
    /// Get: `{"Err":"","Volume":{"Mountpoint":...,"Name":...,"Status":{...}}}`
    case volume(Volume)
    /// List: `{"Err":"","Volumes":[{"Mountpoint":...,"Name":...}]}`
    case volumes([Volume])

    public static let contentType = "application/vnd.docker.plugins.v1.2+json"

    /// A volume as Get and List describe it (List gives no status).
    public struct Volume: Encodable, Sendable, Equatable {
        public var name: String
        public var mountpoint: String
        public var status: Status?

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case mountpoint = "Mountpoint"
            case status = "Status"
        }
    }

    /// What `docker volume inspect` shows as the volume's Status.
    public struct Status: Encodable, Sendable, Equatable {
        public var type: String
        public var options: String
        /// Mounts held now (by every mount ID).
        public var mounts: Int
        public var createdOn: String
        public var glusterVolume: String?
        public var directory: String?
        public var size: String?

        public init(_ volume: PluginVolume, mounts: Int) {
            type = volume.kind.rawValue
            options = volume.optionsText
            self.mounts = mounts
            createdOn = volume.createdOn
            if case .shared(let gluster, let size) = volume.backing {
                glusterVolume = gluster
                directory = volume.glusterDirectory
                self.size = size
            }
        }
    }

    /// The reply to a call that failed with `error` (a `PluginError`'s description, or the error's own).
    public init(error: any Error) {
        self = .error("brickctl: \((error as? PluginError)?.description ?? "\(error)")")
    }

    enum CodingKeys: String, CodingKey {
        case implements = "Implements"
        case capabilities = "Capabilities"
        case err = "Err"
        case mountpoint = "Mountpoint"
        case volume = "Volume"
        case volumes = "Volumes"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        /// A successful answer: an empty Err beside the value.
        func answer(_ value: some Encodable, _ key: CodingKeys) throws {
            try c.encode("", forKey: .err)
            try c.encode(value, forKey: key)
        }
        switch self {
        case .activate: try c.encode(["VolumeDriver"], forKey: .implements)
        case .capabilities: try c.encode(["Scope": "global"], forKey: .capabilities)
        case .ok: try c.encode("", forKey: .err)
        case .error(let text): try c.encode(text, forKey: .err)
        case .mountpoint(let path): try answer(path, .mountpoint)
        case .volume(let volume): try answer(volume, .volume)
        case .volumes(let volumes): try answer(volumes, .volumes)
        }
    }

    /// The reply's bytes: sorted keys, slashes unescaped.
    public var json: Data {
        (try? Self.encoder.encode(self)) ?? Data(#"{"Err":"brickctl: cannot encode the reply"}"#.utf8)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
