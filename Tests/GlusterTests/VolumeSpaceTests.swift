import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct VolumeSpaceTests {
    /// The lab's replica-3 volume on 1 GiB XFS bricks, as glfs_statvfs reported it.
    let lab = VolumeSpace(
        blockSize: 4096, blocks: 245_248, blocksFree: 232_767, blocksAvailable: 232_767, files: 523_264,
        filesFree: 522_985)

    @Test func bytesAreBlocksTimesBlockSize() {
        #expect(lab.size == 1_004_535_808)
        #expect(lab.used == 51_122_176)
        #expect(lab.available == 953_413_632)
    }

    @Test func percentagesRoundUpLikeDF() {
        #expect(lab.usedPercent == 6)  // 5.09% → 6, as df shows it
        #expect(lab.inodesUsed == 279)
        #expect(lab.inodesFree == 522_985)
        #expect(lab.inodesUsedPercent == 1)
        let half = VolumeSpace(blockSize: 1, blocks: 100, blocksFree: 50, blocksAvailable: 50, files: 10, filesFree: 5)
        #expect(half.usedPercent == 50)
        #expect(half.inodesUsedPercent == 50)
    }

    @Test func reserveCountsAsNeitherUsedNorAvailable() {
        // 100 blocks, 30 free of which 10 reserved: used 70, available 20, Use% = 70/90.
        let reserved = VolumeSpace(
            blockSize: 1024, blocks: 100, blocksFree: 30, blocksAvailable: 20, files: 0, filesFree: 0)
        #expect(reserved.used == 70 * 1024)
        #expect(reserved.available == 20 * 1024)
        #expect(reserved.usedPercent == 78)
        #expect(reserved.inodesUsedPercent == nil)
    }

    @Test func emptyAndAbsurdFiguresNeitherTrapNorOverflow() {
        let empty = VolumeSpace(blockSize: 0, blocks: 0, blocksFree: 0, blocksAvailable: 0, files: 0, filesFree: 0)
        #expect(empty.size == 0)
        #expect(empty.usedPercent == nil)
        let huge = VolumeSpace(
            blockSize: 1 << 20, blocks: .max, blocksFree: 10, blocksAvailable: 10, files: 5, filesFree: 9)
        #expect(huge.size == .max)
        #expect(huge.used == .max)
        #expect(huge.inodesUsed == 0)  // free > total: clamped, not wrapped
    }
}
