/// Who holds which volume mounted: a count per (volume name, mount ID).
///
/// Docker sends an ID per mount point (not per container) and may mount the same (Name, ID) more
/// than once (at container create it mounts and unmounts once more to copy image data), so the
/// counts are exact per pair. Unmount of a pair nobody holds changes nothing.
public struct MountReferences: Codable, Sendable, Hashable {
    /// volume name → mount ID → how many Mounts without their Unmount.
    public private(set) var holders: [String: [String: Int]] = [:]

    public init() {}

    public mutating func add(volume: String, id: String) {
        holders[volume, default: [:]][id, default: 0] += 1
    }

    /// Takes one reference of (volume, id) away. Returns false when there was none.
    @discardableResult
    public mutating func remove(volume: String, id: String) -> Bool {
        guard let count = holders[volume]?[id] else { return false }
        if count > 1 {
            holders[volume]?[id] = count - 1
        } else {
            holders[volume]?[id] = nil
            if holders[volume]?.isEmpty == true { holders[volume] = nil }
        }
        return true
    }

    /// Forgets every reference to `volume` (when the volume itself is forgotten).
    public mutating func drop(volume: String) {
        holders[volume] = nil
    }

    public func count(of volume: String) -> Int {
        holders[volume]?.values.reduce(0, +) ?? 0
    }

    public func isHeld(_ volume: String) -> Bool { count(of: volume) > 0 }
}
