/// How far the heal of one replica set is: entries pending per brick, from `volume heal NAME info
/// summary`. Pure.
public struct HealProgress: Hashable, Sendable, Codable {
    /// Pending entries per brick of the set; nil count = glfsheal could not reach the brick.
    public var bricks: [Pending]

    public struct Pending: Hashable, Sendable, Codable {
        public var brick: BrickAddress
        public var entries: Int?
        public var splitBrain: Int = 0
    }

    /// Entries pending, summed over the bricks that answered.
    public var total: Int { bricks.reduce(0) { $0 + ($1.entries ?? 0) } }
    /// Bricks glfsheal could not reach.
    public var unreachable: [BrickAddress] { bricks.filter { $0.entries == nil }.map(\.brick) }
    public var splitBrain: Int { bricks.reduce(0) { $0 + $1.splitBrain } }
    /// Every brick answered and none has anything pending.
    public var isComplete: Bool { unreachable.isEmpty && total == 0 }

    /// One progress line: `n1:/b 12  n2:/b 12  n3:/b 0`.
    public var line: String {
        bricks.map { "\($0.brick) \($0.entries.map(String.init) ?? "?")" }.joined(separator: "  ")
    }
}

extension HealProgress {
    /// The set's bricks as `heal` reports them (a brick it leaves out counts as unknown).
    public init(heal: HealInfo, set: [BrickAddress]) {
        bricks = set.map { address in
            let brick = heal.bricks.first { $0.address == address }
            let entries = brick.flatMap { $0.connected ? $0.entries : nil }
            return Pending(brick: address, entries: entries, splitBrain: brick?.splitBrain ?? 0)
        }
    }
}
