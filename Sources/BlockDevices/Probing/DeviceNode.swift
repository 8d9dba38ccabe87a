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

    /// Reads the regions where signatures live (the first 2 MiB, which covers the 1 MiB partition
    /// start, and the last MiB) in large reads, so libblkid's many small reads that follow are
    /// page-cache hits instead of device I/O.
    public func prefetchSignatureAreas(size: UInt64) {
        let span = 1 << 20
        var buffer = [UInt8](repeating: 0, count: span)
        var offsets: Set<UInt64> = [0, 1 << 20]
        if size > UInt64(span) { offsets.insert(size - UInt64(span)) }
        for offset in offsets where offset < size {
            _ = buffer.withUnsafeMutableBytes { pread(fileDescriptor, $0.baseAddress, span, off_t(offset)) }
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
