public import Foundation

/// A Docker volume this plugin made: where its files live and how they are owned.
///
/// A `shared` volume is a directory of a Gluster volume, reached through one FUSE mount per
/// Gluster volume on this host; a `local` volume is a directory on a disk `brickctl prepare` made
/// on this host (for a database that must not sit on Gluster).
public struct PluginVolume: Sendable, Hashable {
    /// The volume's type as Docker's `-o type=` names it (and as the state file and markers write it).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case shared
        case local
    }

    /// Where the volume's files live.
    public enum Backing: Sendable, Hashable {
        /// A directory on this host's local root.
        case local
        /// A directory of Gluster volume `glusterVolume`, limited to `size` (a Gluster directory
        /// quota as gluster writes it, `10GB`) when there is one.
        case shared(glusterVolume: String, size: String?)
    }

    public var name: String
    public var backing: Backing
    public var uid: UInt32?
    public var gid: UInt32?
    /// Permission bits of the volume's directory.
    public var mode: UInt32 = 0o755
    /// Remove deletes the files too (`-o on-remove=delete`); by default they are kept.
    public var deleteOnRemove: Bool = false
    public var createdAt: Date = Date()
    /// The host whose plugin made it.
    public var createdOn: String = ""

    public var kind: Kind {
        switch backing {
        case .local: .local
        case .shared: .shared
        }
    }

    /// The Gluster volume holding a shared volume; nil for local ones.
    public var glusterVolume: String? {
        guard case .shared(let glusterVolume, _) = backing else { return nil }
        return glusterVolume
    }

    /// A shared volume's quota, as gluster writes it (`10GB`); nil without one, and for local ones.
    public var size: String? {
        guard case .shared(_, let size) = backing else { return nil }
        return size
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
        backing == other.backing && uid == other.uid && gid == other.gid && mode == other.mode
            && deleteOnRemove == other.deleteOnRemove
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

/// The state file's and the markers' form: flat fields `kind`, `glusterVolume`, `size` (the
/// latter two absent when nil), as brickctl has always written them.
extension PluginVolume: Codable {
    enum CodingKeys: String, CodingKey {
        case name, kind, glusterVolume, uid, gid, mode, size, deleteOnRemove, createdAt, createdOn
    }

    /// - Throws: `DecodingError` for a shared volume without its Gluster volume.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .local:
            backing = .local
        case .shared:
            guard let glusterVolume = try c.decodeIfPresent(String.self, forKey: .glusterVolume) else {
                throw DecodingError.keyNotFound(
                    CodingKeys.glusterVolume,
                    .init(codingPath: c.codingPath, debugDescription: "a shared volume names its Gluster volume"))
            }
            backing = .shared(glusterVolume: glusterVolume, size: try c.decodeIfPresent(String.self, forKey: .size))
        }
        uid = try c.decodeIfPresent(UInt32.self, forKey: .uid)
        gid = try c.decodeIfPresent(UInt32.self, forKey: .gid)
        mode = try c.decode(UInt32.self, forKey: .mode)
        deleteOnRemove = try c.decode(Bool.self, forKey: .deleteOnRemove)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        createdOn = try c.decode(String.self, forKey: .createdOn)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(glusterVolume, forKey: .glusterVolume)
        try c.encodeIfPresent(uid, forKey: .uid)
        try c.encodeIfPresent(gid, forKey: .gid)
        try c.encode(mode, forKey: .mode)
        try c.encodeIfPresent(size, forKey: .size)
        try c.encode(deleteOnRemove, forKey: .deleteOnRemove)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(createdOn, forKey: .createdOn)
    }
}
