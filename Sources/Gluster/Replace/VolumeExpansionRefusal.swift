/// Why a volume may not be expanded as asked; `description` names no command-line option.
public enum VolumeExpansionRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownVolume(String)
    case volumeNotStarted(String, VolumeInfo.Status)
    case disperseNotSupported(String)
    /// The hosts given do not match: whole sets (add) or one per set (replica).
    case wrongHostCount(given: Int, setSize: Int)
    case hostNotInPool(String, pool: [String])
    case brickTwice
    case setOnOneHost([BrickAddress])
    case brickInUse(BrickAddress, volume: String)
    case replicaNotSupported(from: Int, to: Int, arbiter: Bool)

    public var description: String {
        switch self {
        case .unknownVolume(let name): return "there is no volume \(name)"
        case .volumeNotStarted(let name, let status):
            return "volume \(name) is \(status.rawValue), not started: new bricks fill only in a started volume"
        case .disperseNotSupported(let name):
            return "\(name) is a disperse volume: only replicated volumes are expanded here"
        case .wrongHostCount(let given, let setSize):
            return "\(given) host\(given == 1 ? "" : "s") given: \(setSize) needed (or a multiple of it for new sets)"
        case .hostNotInPool(let host, let pool): return "\(host) is not in the pool (\(pool.joined(separator: ", ")))"
        case .brickTwice: return "a host is given twice"
        case .setOnOneHost(let set):
            return
                "replica set \(set.map(\.description).joined(separator: " ")) would have two copies on one host: a host failure would lose both"
        case .brickInUse(let brick, let volume): return "\(brick) is already a brick of volume \(volume)"
        case .replicaNotSupported(let from, let to, let arbiter):
            return arbiter
                ? "an arbiter volume (replica 3 arbiter 1) can only become replica 3 with three data copies, not replica \(to)"
                : "replica \(from) can grow by one copy at a time up to 3, not to \(to)"
        }
    }
}
