/// The verdict on one device: may brickctl turn it into a brick, and if not, every reason why.
public struct Availability: Hashable, Sendable, Codable {
    public var reasons: [Reason]
    public var available: Bool { reasons.isEmpty }

    /// One reason a device is not available, with a stable code for scripts and words for people.
    public struct Reason: Hashable, Sendable, Codable, CustomStringConvertible {
        public var code: Code
        public var message: String

        public init(_ code: Code, _ message: String) {
            self.code = code
            self.message = message
        }

        public var description: String { message }

        /// Stable identifiers of the rules; documented in README.md (JSON output).
        public enum Code: String, Hashable, Sendable, Codable, CaseIterable {
            case rootFilesystem = "root-filesystem"
            case mounted
            case swapInUse = "swap-in-use"
            case holders
            case busy
            case unreadable
            case readOnly = "read-only"
            case removable
            case tooSmall = "too-small"
            case noMedia = "no-media"
            case partitionTable = "partition-table"
            case kernelPartitions = "kernel-partitions"
            case signature
            case ambiguousSignature = "ambiguous-signature"
            case signatureAtPartitionStart = "signature-at-partition-start"
            case fstab
            case brick
            case isPartition = "is-partition"
            case partitionInUse = "partition-in-use"
        }

        /// Whether `prepare --wipe` may destroy what this reason protects. Never for things in use,
        /// the root disk or read-only media.
        public var wipeable: Bool {
            switch code {
            case .partitionTable, .kernelPartitions, .signature, .ambiguousSignature, .signatureAtPartitionStart:
                return true
            default:
                return false
            }
        }
    }
}
