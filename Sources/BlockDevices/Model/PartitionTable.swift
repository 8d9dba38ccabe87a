/// A partition table as it is *on disk* (libblkid partition probing), which on kernels without
/// partition parsers may differ from what the kernel shows in sysfs.
public struct PartitionTable: Hashable, Sendable, Codable {
    /// `gpt`, `dos`, ...
    public var type: String
    /// The table's identifier (GPT disk GUID or DOS disk id).
    public var id: String?
    public var partitions: [Entry]

    public init(type: String, id: String? = nil, partitions: [Entry] = []) {
        self.type = type
        self.id = id
        self.partitions = partitions
    }

    /// One partition of the table.
    public struct Entry: Hashable, Sendable, Codable {
        public var number: Int
        /// Start and size in bytes.
        public var start: UInt64
        public var size: UInt64
        /// Partition type: a GUID for GPT, a hex code for DOS.
        public var type: String?
        /// GPT partition name (PARTLABEL).
        public var name: String?
        /// PARTUUID.
        public var uuid: String?
        /// What the superblock probe found inside the partition's range.
        public var signature: Signature?
        /// The kernel's node for this partition, when sysfs has one.
        public var device: String?

        public init(
            number: Int, start: UInt64, size: UInt64, type: String? = nil, name: String? = nil,
            uuid: String? = nil, signature: Signature? = nil, device: String? = nil
        ) {
            self.number = number
            self.start = start
            self.size = size
            self.type = type
            self.name = name
            self.uuid = uuid
            self.signature = signature
            self.device = device
        }
    }
}
