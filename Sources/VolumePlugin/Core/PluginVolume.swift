public import Foundation

/// A Docker volume this plugin made: where its files live and how they are owned.
///
/// A `shared` volume is a directory of a Gluster volume, reached through one FUSE mount per
/// Gluster volume on this host; a `local` volume is a directory on a disk `brickctl prepare` made
/// on this host (for a database that must not sit on Gluster).
public struct PluginVolume: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case shared
        case local
    }

    public var name: String
    public var kind: Kind
    /// The Gluster volume holding a shared volume; nil for local ones.
    public var glusterVolume: String?
    public var uid: UInt32?
    public var gid: UInt32?
    /// Permission bits of the volume's directory.
    public var mode: UInt32
    /// A Gluster directory quota, as gluster writes it (`10GB`); shared volumes only.
    public var size: String?
    /// Remove deletes the files too (`-o on-remove=delete`); by default they are kept.
    public var deleteOnRemove: Bool
    public var createdAt: Date
    /// The host whose plugin made it.
    public var createdOn: String

    public init(
        name: String, kind: Kind, glusterVolume: String?, uid: UInt32? = nil, gid: UInt32? = nil, mode: UInt32 = 0o755,
        size: String? = nil, deleteOnRemove: Bool = false, createdAt: Date = Date(), createdOn: String = ""
    ) {
        self.name = name
        self.kind = kind
        self.glusterVolume = glusterVolume
        self.uid = uid
        self.gid = gid
        self.mode = mode
        self.size = size
        self.deleteOnRemove = deleteOnRemove
        self.createdAt = createdAt
        self.createdOn = createdOn
    }

    /// The directory of a shared volume inside its Gluster volume (gfapi path and FUSE subpath).
    public var glusterDirectory: String { "\(PluginVolume.glusterDataRoot)/\(name)" }
    /// Where a shared volume's description lives inside its Gluster volume: the marker by which
    /// other hosts' plugins know the volume (a file beside the data, never inside it).
    public var glusterMarker: String { "\(PluginVolume.glusterMarkerRoot)/\(name).json" }

    public static let glusterDataRoot = "/brickctl/volumes"
    public static let glusterMarkerRoot = "/brickctl/markers"

    /// Whether `other` asks for the same volume (what a second Create with the same options is).
    public func sameSettings(as other: PluginVolume) -> Bool {
        kind == other.kind && glusterVolume == other.glusterVolume && uid == other.uid && gid == other.gid
            && mode == other.mode && size == other.size && deleteOnRemove == other.deleteOnRemove
    }

    /// The options as `-o` would give them, for messages and `plugin status`.
    public var optionsText: String {
        var parts = ["type=\(kind.rawValue)"]
        if let glusterVolume { parts.append("volume=\(glusterVolume)") }
        if let uid { parts.append("uid=\(uid)") }
        if let gid { parts.append("gid=\(gid)") }
        parts.append("mode=\(String(mode, radix: 8))")
        if let size { parts.append("size=\(size)") }
        if deleteOnRemove { parts.append("on-remove=delete") }
        return parts.joined(separator: ",")
    }
}
