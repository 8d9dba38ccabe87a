/// What one copy of a replica set holds, as seen through a client pinned to that copy: how many
/// files and directories, and the sha256 of a sample of files. Pure value; `ReplicaReader` reads it.
public struct ReplicaManifest: Hashable, Sendable, Codable {
    public var brick: BrickAddress
    public var files: Int
    public var directories: Int
    /// Path inside the volume → sha256 (hex) of a sample of the files.
    public var sample: [String: String]

    public init(brick: BrickAddress, files: Int, directories: Int, sample: [String: String]) {
        self.brick = brick
        self.files = files
        self.directories = directories
        self.sample = sample
    }

    /// Up to `size` paths of `paths` (sorted), spread evenly over the list.
    public static func samplePaths(_ paths: [String], size: Int) -> [String] {
        let sorted = paths.sorted()
        guard sorted.count > size, size > 0 else { return sorted }
        return (0..<size).map { sorted[$0 * sorted.count / size] }
    }

    /// Where the copies disagree: one sentence per difference, empty when they agree.
    public static func differences(_ manifests: [ReplicaManifest]) -> [ReplicaDifference] {
        guard let reference = manifests.first else { return [] }
        var found: [ReplicaDifference] = []
        for other in manifests.dropFirst() {
            if other.files != reference.files || other.directories != reference.directories {
                found.append(
                    .counts(
                        reference.brick, files: reference.files, directories: reference.directories, other.brick,
                        otherFiles: other.files, otherDirectories: other.directories))
            }
            let paths = Set(reference.sample.keys).union(other.sample.keys).sorted()
            for path in paths where reference.sample[path] != other.sample[path] {
                found.append(.content(path: path, reference.brick, other.brick))
            }
        }
        return found
    }
}

/// A way two copies of a replica set differ.
public enum ReplicaDifference: Hashable, Sendable, CustomStringConvertible {
    case counts(BrickAddress, files: Int, directories: Int, BrickAddress, otherFiles: Int, otherDirectories: Int)
    case content(path: String, BrickAddress, BrickAddress)

    public var description: String {
        switch self {
        case .counts(let a, let af, let ad, let b, let bf, let bd):
            return "\(a) holds \(af) files and \(ad) directories, \(b) \(bf) and \(bd)"
        case .content(let path, let a, let b):
            return "\(path) differs between \(a) and \(b) (or is missing on one)"
        }
    }
}
