public import HostIO

/// What the self-heal daemon still has to repair, per brick (`gluster volume heal NAME info`, or
/// `… info summary`).
public struct HealInfo: Hashable, Sendable, Codable {
    /// A file or directory waiting for heal on a brick.
    public struct Entry: Hashable, Sendable, Codable {
        /// The path inside the volume (`/dir/f`), or `<gfid:…>` when the brick does not know it.
        public var path: String
        @NullWhenAbsent public var gfid: String? = nil
    }

    public struct Brick: Hashable, Sendable, Codable {
        public var address: BrickAddress
        /// nil when the brick could not be reached (glusterd reports "-").
        public var hostUUID: String?
        /// glfsheal's text: "Connected", "Transport endpoint is not connected", …
        public var status: String
        /// Entries pending heal on this brick; nil when unknown (brick not reachable).
        public var entries: Int?
        /// Of `entries`: in split-brain (only from `info summary`).
        public var splitBrain: Int?
        /// Of `entries`: possibly being healed right now (only from `info summary`).
        public var possiblyHealing: Int?
        /// The entries themselves (only from `info`, not `info summary`).
        public var files: [Entry] = []

        /// glfsheal reached the brick.
        public var connected: Bool { status == "Connected" }

        enum CodingKeys: String, CodingKey {
            case address
            case hostUUID = "hostUuid"
            case status
            case connected
            case entries
            case splitBrain
            case possiblyHealing
            case files
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(address, forKey: .address)
            try container.encode(hostUUID, forKey: .hostUUID)
            try container.encode(status, forKey: .status)
            try container.encode(connected, forKey: .connected)
            try container.encode(entries, forKey: .entries)
            try container.encode(splitBrain, forKey: .splitBrain)
            try container.encode(possiblyHealing, forKey: .possiblyHealing)
            try container.encode(files, forKey: .files)
        }
    }

    public var bricks: [Brick]

    /// Entries pending heal, summed over the bricks whose count is known. One file that misses a
    /// write on one brick of a replica 3 set is listed on both good bricks: it counts twice.
    public var total: Int { bricks.reduce(0) { $0 + ($1.entries ?? 0) } }

    /// Bricks whose count is unknown (not reachable by glfsheal).
    public var unknown: [BrickAddress] { bricks.filter { $0.entries == nil }.map(\.address) }

    /// Entries in split-brain, summed (only known from `info summary`).
    public var splitBrain: Int { bricks.reduce(0) { $0 + ($1.splitBrain ?? 0) } }

    enum CodingKeys: String, CodingKey {
        case bricks
        case total
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bricks, forKey: .bricks)
        try container.encode(total, forKey: .total)
    }
}

// Decoded by hand (in extensions, so the memberwise inits stay synthesized): `connected` and
// `total` are written, never read back.
extension HealInfo.Brick {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(BrickAddress.self, forKey: .address)
        hostUUID = try container.decodeIfPresent(String.self, forKey: .hostUUID)
        status = try container.decode(String.self, forKey: .status)
        entries = try container.decodeIfPresent(Int.self, forKey: .entries)
        splitBrain = try container.decodeIfPresent(Int.self, forKey: .splitBrain)
        possiblyHealing = try container.decodeIfPresent(Int.self, forKey: .possiblyHealing)
        files = try container.decodeIfPresent([HealInfo.Entry].self, forKey: .files) ?? []
    }
}

extension HealInfo {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bricks = try container.decode([Brick].self, forKey: .bricks)
    }
}
