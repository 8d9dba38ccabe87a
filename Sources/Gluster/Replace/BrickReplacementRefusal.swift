/// Why a brick may not be replaced as asked. Each case carries the facts; `description` names no
/// command-line option (`brickctl brick replace` adds the commands and flags).
public enum BrickReplacementRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownVolume(String)
    case volumeNotStarted(String, VolumeInfo.Status)
    /// A plain distribute volume keeps one copy: replacing a brick loses its files.
    case notReplicated(String)
    case oldNotInVolume(BrickAddress, volume: String, bricks: [BrickAddress])
    case newAlreadyInVolume(BrickAddress, volume: String)
    case newHostNotInPool(String, pool: [String])
    /// No other data brick of OLD's set is online: OLD is (or was) the only copy.
    case lastGoodCopy(BrickAddress, set: [BrickAddress])
    /// Entries in split-brain in OLD's set: no copy is known to be right.
    case splitBrain([BrickCount])
    /// OLD is online and holds entries the other copies still need.
    case oldIsHealSource(BrickAddress, entries: Int)
    /// OLD is online and glfsheal could not say what is pending.
    case healUnknown(String)
    /// NEW would share a host with another copy of the set (overridable: redundancy, not data).
    case newOnHostOfCopy(BrickAddress, copy: BrickAddress)
    /// NEW's directory is on the root filesystem (overridable).
    case newOnRootFilesystem(BrickAddress)
    case newNotEmpty(BrickAddress, entries: Int)
    case newFormerBrick(BrickAddress)
    case newNotADirectory(BrickAddress)
    /// NEW's filesystem has fewer bytes free than the other copies of the set use.
    case newTooSmall(BrickAddress, available: UInt64, needed: UInt64, copy: BrickAddress)

    /// Whether `force` may override it (it risks redundancy, never data).
    public var isOverridable: Bool {
        switch self {
        case .newOnHostOfCopy, .newOnRootFilesystem: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .unknownVolume(let name): return "there is no volume \(name)"
        case .volumeNotStarted(let name, let status):
            return "volume \(name) is \(status.rawValue), not started: a replaced brick heals only in a started volume"
        case .notReplicated(let name):
            return "volume \(name) keeps one copy of each file: replacing a brick would lose the files on it"
        case .oldNotInVolume(let old, let volume, let bricks):
            return
                "\(old) is not a brick of \(volume) (its bricks: \(bricks.map(\.description).joined(separator: " ")))"
        case .newAlreadyInVolume(let new, let volume):
            return "\(new) is already a brick of volume \(volume)"
        case .newHostNotInPool(let host, let pool):
            return "\(host) is not in the pool (\(pool.joined(separator: ", ")))"
        case .lastGoodCopy(let old, let set):
            return
                "no other copy of \(old)'s replica set (\(set.map(\.description).joined(separator: " "))) is online: \(old) may be the only copy of its files, and replacing it would lose them"
        case .splitBrain(let bricks):
            return
                "the replica set has entries in split-brain (\(bricks.map { "\($0.brick): \($0.count)" }.joined(separator: ", "))): no copy is known to be right, and a replacement could heal the wrong one"
        case .oldIsHealSource(let old, let entries):
            return
                "\(old) is online and holds \(entries) entr\(entries == 1 ? "y" : "ies") the other copies still need: replacing it now would lose those changes"
        case .healUnknown(let name):
            return
                "\(name)'s pending heals cannot be read, and the old brick is online: it may hold changes the others need"
        case .newOnHostOfCopy(let new, let copy):
            return
                "\(new) is on the same host as \(copy), another copy of the set: one host failure would take two copies"
        case .newOnRootFilesystem(let new):
            return "\(new) is on the root filesystem, not on a brick disk of its own"
        case .newNotEmpty(let new, let entries):
            return "\(new) is not empty (\(entries) entr\(entries == 1 ? "y" : "ies"))"
        case .newFormerBrick(let new):
            return "\(new) was a brick of a volume before (it carries the volume's attributes)"
        case .newNotADirectory(let new):
            return "\(new) exists and is not a directory"
        case .newTooSmall(let new, let available, let needed, let copy):
            return
                "\(new) has \(Self.mebibytes(available)) free, and \(copy), a copy it would receive, uses \(Self.mebibytes(needed)) (its filesystem's used bytes): the heal would fill the disk"
        }
    }

    private static func mebibytes(_ bytes: UInt64) -> String {
        bytes >= 10 << 30 ? "\(bytes >> 30) GiB" : "\(bytes >> 20) MiB"
    }
}
