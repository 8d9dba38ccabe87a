public import Foundation

/// What the markers folder of a Gluster volume (`/brickctl/markers`) says: the shared volumes the
/// plugins of every host made there, and the markers that cannot be read (skipped, with why).
public struct MarkerListing: Sendable, Equatable {
    /// Volume name → the volume its marker describes.
    public var volumes: [String: PluginVolume] = [:]
    /// Marker path (`gv0:/brickctl/markers/x.json`) → why it was skipped.
    public var damaged: [String: String] = [:]

    public init() {}

    /// Reads the markers of one Gluster volume.
    /// - Parameter files: file name in the markers folder → its bytes. Names that are not
    ///   `NAME.json` for a valid volume name are not markers (ignored).
    public init(glusterVolume: String, files: [String: Data]) {
        for (file, data) in files {
            guard let name = Self.volumeName(ofMarker: file) else { continue }
            do {
                volumes[name] = try Self.volume(named: name, marker: data, glusterVolume: glusterVolume)
            } catch {
                damaged["\(glusterVolume):\(PluginVolume.glusterMarkerRoot)/\(file)"] = error.message
            }
        }
    }

    /// Two listings in one (several Gluster volumes); the first marker of a name wins.
    public mutating func merge(_ other: MarkerListing) {
        volumes.merge(other.volumes) { first, _ in first }
        damaged.merge(other.damaged) { first, _ in first }
    }

    /// "wp.json" → "wp"; nil for anything that is not a marker's name.
    public static func volumeName(ofMarker file: String) -> String? {
        guard file.hasSuffix(".json") else { return nil }
        let name = String(file.dropLast(5))
        guard (try? VolumeName.validate(name)) != nil else { return nil }
        return name
    }

    /// The volume a marker describes, checked: JSON of a `PluginVolume`, of this name, shared.
    /// - Throws: `PluginError` (`damaged-marker`) saying what is wrong and what to do.
    public static func volume(named name: String, marker data: Data, glusterVolume: String) throws(PluginError)
        -> PluginVolume
    {
        let path = "\(PluginVolume.glusterMarkerRoot)/\(name).json"
        let fix =
            "move it away (the files in \(PluginVolume.glusterDataRoot)/\(name) stay) and create the volume again with its options"
        let volume: PluginVolume
        do {
            volume = try PluginState.decoder.decode(PluginVolume.self, from: data)
        } catch {
            let what = data.isEmpty ? "it is empty" : "it is not a volume description (\(Self.reason(error)))"
            throw PluginError(
                .damagedMarker,
                "the marker of volume \(name), \(path) on Gluster volume \(glusterVolume), is damaged: \(what); \(fix)")
        }
        guard volume.name == name, volume.kind == .shared else {
            throw PluginError(
                .damagedMarker,
                "the marker of volume \(name), \(path) on Gluster volume \(glusterVolume), describes \(volume.kind.rawValue) volume \(VolumeName.printable(volume.name)); \(fix)"
            )
        }
        return volume
    }

    /// DecodingError's own words, short.
    static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let context): return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        case .keyNotFound(let key, _): return "no \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
