/// Space and inodes of a volume, from glfs_statvfs: what `df` shows for a FUSE mount of it.
///
/// For a replicated volume these are one replica set's figures (the smallest brick's, as gluster
/// reports them); for a distributed one, the sum over its sets. Byte figures saturate at
/// `UInt64.max` instead of overflowing.
public struct VolumeSpace: Sendable, Hashable, Codable {
    /// f_frsize (f_bsize when f_frsize is 0): the unit of the block counts.
    public var blockSize: UInt64
    public var blocks: UInt64
    public var blocksFree: UInt64
    /// Free blocks an unprivileged user may use (brick reserve excluded).
    public var blocksAvailable: UInt64
    public var files: UInt64
    public var filesFree: UInt64

    /// Total bytes.
    public var size: UInt64 { Self.bytes(blocks, blockSize) }
    /// Bytes in use: total minus free (free includes the reserve).
    public var used: UInt64 { Self.bytes(blocks - min(blocksFree, blocks), blockSize) }
    /// Bytes a user may still write.
    public var available: UInt64 { Self.bytes(blocksAvailable, blockSize) }
    /// df's Use%: used / (used + available), rounded up; nil when both are 0.
    public var usedPercent: Int? {
        Self.percent(used: blocks - min(blocksFree, blocks), of: blocks - min(blocksFree, blocks) + blocksAvailable)
    }

    public var inodes: UInt64 { files }
    public var inodesUsed: UInt64 { files - min(filesFree, files) }
    public var inodesFree: UInt64 { filesFree }
    /// df -i's IUse%: used / total, rounded up; nil when the volume reports no inodes.
    public var inodesUsedPercent: Int? { Self.percent(used: inodesUsed, of: files) }

    static func bytes(_ count: UInt64, _ size: UInt64) -> UInt64 {
        let (product, overflow) = count.multipliedReportingOverflow(by: size)
        return overflow ? .max : product
    }

    /// ceil(100 * used / total) like coreutils df, without overflowing.
    static func percent(used: UInt64, of total: UInt64) -> Int? {
        guard total > 0 else { return nil }
        let u = Double(used)
        let t = Double(total)
        return Int((u * 100 / t).rounded(.up))
    }
}
