import Glibc

/// Reads a file of /proc (or sysfs) to its end.
///
/// These files report size 0, and a reader that trusts the size, or reads once, gets a truncated
/// copy: /proc/self/mountinfo on a host running Docker is larger than one page, and a mount at the
/// end of it was missed that way. This reads until end-of-file.
public enum ProcFile {
    public static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
