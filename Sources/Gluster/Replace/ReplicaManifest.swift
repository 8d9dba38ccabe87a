/// What one copy of a replica set holds, as seen through a client pinned to that copy: how many
/// files and directories, and the sha256 of a sample of files. Pure value; `ReplicaReader` reads it.
public struct ReplicaManifest: Hashable, Sendable, Codable {
    public var brick: BrickAddress
    public var files: Int
    public var directories: Int
    /// Path inside the volume → sha256 (hex) of a sample of the files.
    public var sample: [String: String]
    /// The files counted in `files` (paths inside the volume), when the reader lists them.
    public var paths: [String] = []
    /// Files modified after the check began (a site writing during it): in no count or sample,
    /// and left out of the other copies' comparison too.
    public var changed: [String] = []

    /// Up to `size` paths of `paths` (sorted), spread evenly over the list.
    public static func samplePaths(_ paths: [String], size: Int) -> [String] {
        let sorted = paths.sorted()
        guard sorted.count > size, size > 0 else { return sorted }
        return (0..<size).map { sorted[$0 * sorted.count / size] }
    }

    /// Where the copies disagree: one sentence per difference, empty when they agree.
    ///
    /// The copies are read one after the other, so a file the site writes meanwhile differs
    /// between the reads: a file any copy saw modified after the check began is left out of
    /// every comparison (the stable files must agree, path by path). Without such files the
    /// counts of files and directories must agree too, and a sampled file missing on one copy
    /// is a difference.
    public static func differences(_ manifests: [ReplicaManifest]) -> [ReplicaDifference] {
        guard let reference = manifests.first else { return [] }
        let changed = Set(manifests.flatMap(\.changed))
        var found: [ReplicaDifference] = []
        for other in manifests.dropFirst() {
            if changed.isEmpty {
                if other.files != reference.files || other.directories != reference.directories {
                    found.append(
                        .counts(
                            reference.brick, files: reference.files, directories: reference.directories, other.brick,
                            otherFiles: other.files, otherDirectories: other.directories))
                }
            } else {
                let mine = Set(reference.paths).subtracting(changed)
                let theirs = Set(other.paths).subtracting(changed)
                if mine != theirs {
                    found.append(
                        .counts(
                            reference.brick, files: mine.count, directories: reference.directories, other.brick,
                            otherFiles: theirs.count, otherDirectories: other.directories))
                }
            }
            let sampled =
                changed.isEmpty
                ? Set(reference.sample.keys).union(other.sample.keys)
                : Set(reference.sample.keys).intersection(other.sample.keys).subtracting(changed)
            for path in sampled.sorted() where reference.sample[path] != other.sample[path] {
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
