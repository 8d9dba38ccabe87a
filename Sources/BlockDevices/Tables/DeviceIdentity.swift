/// Every name by which fstab (or a user) can refer to a device: paths, UUID, LABEL, PARTUUID, PARTLABEL.
public struct DeviceIdentity: Sendable, Hashable {
    public var paths: Set<String> = []
    public var uuids: Set<String> = []
    public var labels: Set<String> = []
    public var partUUIDs: Set<String> = []
    public var partLabels: Set<String> = []

    public init() {}

    /// Adds the names of a signature found on (or inside) the device.
    public mutating func add(_ signature: Signature?) {
        guard let signature else { return }
        if let uuid = signature.uuid { uuids.insert(uuid.lowercased()) }
        if let label = signature.label { labels.insert(label) }
    }

    /// Adds the names of an on-disk partition entry and what it holds.
    public mutating func add(_ entry: PartitionTable.Entry) {
        if let uuid = entry.uuid { partUUIDs.insert(uuid.lowercased()) }
        if let name = entry.name { partLabels.insert(name) }
        if let device = entry.device { paths.insert(device) }
        add(entry.signature)
    }

    /// Whether an fstab spec (`UUID=…`, `LABEL="…"`, `/dev/disk/by-uuid/…`, `/dev/vdb1`) names this device.
    public func matches(spec rawSpec: String) -> Bool {
        let spec = rawSpec
        if let (key, value) = Self.tag(spec) {
            switch key {
            case "UUID": return uuids.contains(value.lowercased())
            case "LABEL": return labels.contains(value)
            case "PARTUUID": return partUUIDs.contains(value.lowercased())
            case "PARTLABEL": return partLabels.contains(value)
            default: return false
            }
        }
        for (prefix, set, lower) in [
            ("/dev/disk/by-uuid/", uuids, true), ("/dev/disk/by-label/", labels, false),
            ("/dev/disk/by-partuuid/", partUUIDs, true), ("/dev/disk/by-partlabel/", partLabels, false),
        ] where spec.hasPrefix(prefix) {
            let value = decodeOctalEscapes(spec.dropFirst(prefix.count))
            return set.contains(lower ? value.lowercased() : value)
        }
        return paths.contains(spec)
    }

    /// The fstab references among `candidates` that name this device.
    public func references(in candidates: [FstabReference]) -> [FstabReference] {
        candidates.filter { matches(spec: $0.spec) }
    }

    /// Splits `KEY=value` or `KEY="value"`.
    static func tag(_ spec: String) -> (String, String)? {
        guard let eq = spec.firstIndex(of: "="), !spec.hasPrefix("/") else { return nil }
        let key = String(spec[..<eq]).uppercased()
        var value = String(spec[spec.index(after: eq)...])
        if value.count >= 2,
            (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'"))
        {
            value = String(value.dropFirst().dropLast())
        }
        return (key, value)
    }
}
