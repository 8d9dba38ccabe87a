public import HostIO

/// A partition table as it is *on disk* (libblkid partition probing), which on kernels without
/// partition parsers may differ from what the kernel shows in sysfs.
public struct PartitionTable: Hashable, Sendable, Codable {
    /// `gpt`, `dos`, ...
    public var type: String
    /// The table's identifier (GPT disk GUID or DOS disk id).
    @NullWhenAbsent public var id: String? = nil
    public var partitions: [Entry] = []

    /// One partition of the table.
    public struct Entry: Hashable, Sendable, Codable {
        public var number: Int
        /// Start and size in bytes.
        public var start: UInt64
        public var size: UInt64
        /// Partition type: a GUID for GPT, a hex code for DOS.
        @NullWhenAbsent public var type: String? = nil
        /// GPT partition name (PARTLABEL).
        @NullWhenAbsent public var name: String? = nil
        /// PARTUUID.
        @NullWhenAbsent public var uuid: String? = nil
        /// What the superblock probe found inside the partition's range.
        @NullWhenAbsent public var signature: Signature? = nil
        /// The kernel's node for this partition, when sysfs has one.
        @NullWhenAbsent public var device: String? = nil
    }
}
