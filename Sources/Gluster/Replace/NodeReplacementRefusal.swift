/// Why OLD's bricks may not move to NEW; `description` names no command-line option.
public enum NodeReplacementRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case sameHost(String)
    case newNotInPool(String, pool: [String])
    /// One brick may not move (the first found).
    case brick(volume: String, BrickAddress, BrickReplacementRefusal)

    public var description: String {
        switch self {
        case .sameHost(let host): return "OLD and NEW are both \(host)"
        case .newNotInPool(let host, let pool): return "\(host) is not in the pool (\(pool.joined(separator: ", ")))"
        case .brick(let volume, let brick, let refusal):
            return "\(brick) of \(volume) cannot move: \(refusal.description)"
        }
    }
}
