import Glibc
import HostIO

/// An open block-device node, closed when this value goes away.
///
/// Opening with `O_EXCL` is how brickctl asks the kernel whether anything (a mount, swap, device
/// mapper, mkfs, another brickctl) holds the device. The corresponding C function is `open`.
public final class DeviceNode {
    public let path: String
    public let fileDescriptor: Int32

    /// Opens `path`; with `exclusive`, fails with EBUSY while anyone else holds it exclusively.
    ///
    /// - Throws: `SystemError` with the errno of `open`.
    public init(path: String, writable: Bool = false, exclusive: Bool = false) throws {
        var flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC
        if exclusive { flags |= O_EXCL }
        let fd = open(path, flags)
        guard fd >= 0 else { throw SystemError.last("open \(path)") }
        self.path = path
        self.fileDescriptor = fd
    }

    deinit {
        close(fileDescriptor)
    }

    /// Drops the node's clean cached pages. A disk and its partitions have separate page caches:
    /// what was written through /dev/vdb1 may be invisible through a stale cache of /dev/vdb.
    /// The corresponding C function is `posix_fadvise(POSIX_FADV_DONTNEED)`.
    public func dropCache() {
        fsync(fileDescriptor)
        _ = posix_fadvise(fileDescriptor, 0, 0, POSIX_FADV_DONTNEED)
    }

    /// Readies the node for a libblkid probe of the range that starts at `offset`.
    ///
    /// libblkid makes ~45 small reads per probe, nearly all within the first 516 KiB of the range
    /// (superblocks, ZFS labels 0 and 1) and the last 512 KiB of the device (RAID metadata, GPT
    /// backup, ZFS labels 2 and 3). The kernel's readahead turns each small miss into a read of
    /// `read_ahead_kb` (2.5 MiB on a loop device here), so readahead is turned off for this open file
    /// and those two regions are read in one call each; the few reads outside them cost a page each.
    /// On 64 loop disks (scripts/bench/disks) this took `disks` from 4.2× lsblk's time to 2.8×.
    /// The corresponding C functions are `posix_fadvise(POSIX_FADV_RANDOM)` and `pread`.
    public func prefetchForProbe(size: UInt64, from offset: UInt64 = 0, includingEnd: Bool = true) {
        _ = posix_fadvise(fileDescriptor, 0, 0, POSIX_FADV_RANDOM)
        guard offset < size else { return }
        let headEnd = min(size, offset + (516 << 10))
        var regions = [offset..<headEnd]
        if includingEnd {
            // The last 512 KiB, or what is left of it after the head.
            regions.append(max(headEnd, size - min(size, 512 << 10))..<size)
        }
        var buffer = [UInt8](repeating: 0, count: 516 << 10)
        for region in regions where !region.isEmpty {
            _ = buffer.withUnsafeMutableBytes {
                pread(fileDescriptor, $0.baseAddress, Int(region.count), off_t(region.lowerBound))
            }
        }
    }

    /// The device number of a block special file, or nil when `path` is not one.
    public static func number(of path: String) -> DeviceNumber? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFBLK else { return nil }
        return DeviceNumber(rdev: UInt64(st.st_rdev))
    }
}

extension DeviceNumber {
    /// Splits a `dev_t` as glibc's `major()`/`minor()` do.
    public init(rdev: UInt64) {
        let major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~UInt64(0xfff))
        let minor = (rdev & 0xff) | ((rdev >> 12) & ~UInt64(0xff))
        self.init(major: UInt32(truncatingIfNeeded: major), minor: UInt32(truncatingIfNeeded: minor))
    }
}
