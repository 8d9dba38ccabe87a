import Foundation
import Glibc

/// The plugin's state on disk: replaced atomically (temp file, rename), so a `kill -9` at any
/// moment leaves the old or the new state, never a mix.
struct StateFile: Sendable {
    let path: String

    func load() throws(PluginError) -> PluginState? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try PluginState(json: data)
    }

    /// - Parameter durable: fsync file and folder (volume changes). Reference counts skip it: they
    ///   only matter until the next reboot, and the page cache survives a killed process.
    func save(_ data: Data, durable: Bool) throws(PluginError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw PluginError(
                .io, "cannot write the plugin state \(temporary)", because: .errno(errno))
        }
        var ok = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue } else { return false } }
                offset += n
            }
            return true
        }
        if ok && durable { ok = fsync(fd) == 0 }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let error = errno
            unlink(temporary)
            throw PluginError(.io, "cannot write the plugin state \(path)", because: .errno(error))
        }
        if durable {
            let dir = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dir >= 0 {
                fsync(dir)
                close(dir)
            }
        }
    }

    static func bootID() -> String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
