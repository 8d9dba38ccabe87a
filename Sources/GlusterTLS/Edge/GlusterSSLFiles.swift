public import Foundation
import HostIO
import X509

#if canImport(Glibc)
    import Glibc
#endif

/// The three files Gluster's TLS reads on every node and client: `glusterfs.pem` (this host's
/// certificate), `glusterfs.key` (its private key, mode 0600) and `glusterfs.ca` (the CA
/// certificates it trusts), in /etc/ssl.
///
/// Management TLS (glusterd's port 24007) reads the same three names from the directory compiled
/// into glusterfs (`managementDirectory`: OpenSSL's /usr/lib/ssl on Debian, measured), which no
/// option changes: `install` links them there to the files in `directory`.
public struct GlusterSSLFiles: Sendable {
    public var directory: String
    /// Where management TLS looks (`compiledInDirectory()` on a real host); nil = no links.
    public var managementDirectory: String?

    public init(directory: String = "/etc/ssl", managementDirectory: String? = nil) {
        self.directory = directory
        self.managementDirectory = managementDirectory
    }

    static let names = ["glusterfs.pem", "glusterfs.key", "glusterfs.ca"]

    /// The directory glusterfs was compiled to read glusterfs.pem from: the string ending in
    /// "/glusterfs.pem" in its socket transport (rpc-transport/socket.so); nil when glusterfs is
    /// not installed. Debian 12: /usr/lib/ssl.
    public static func compiledInDirectory() -> String? {
        var found = glob_t()
        defer { globfree(&found) }
        for pattern in [
            "/usr/lib/*/glusterfs/*/rpc-transport/socket.so", "/usr/lib*/glusterfs/*/rpc-transport/socket.so",
        ] {
            guard glob(pattern, 0, nil, &found) == 0, found.gl_pathc > 0, let first = found.gl_pathv[0],
                let data = FileManager.default.contents(atPath: String(cString: first))
            else { continue }
            let needle = Data("/glusterfs.pem\0".utf8)
            guard let range = data.range(of: needle) else { return nil }
            var start = range.lowerBound
            while start > data.startIndex, data[start - 1] != 0, range.lowerBound - start < 4096 { start -= 1 }
            let directory = String(decoding: data[start..<range.lowerBound], as: UTF8.self)
            return directory.hasPrefix("/") ? directory : nil
        }
        return nil
    }

    /// The links management TLS reads (empty when it reads `directory` itself).
    public var managementLinks: [(link: String, target: String)] {
        guard let managementDirectory, managementDirectory != directory else { return [] }
        return Self.names.map { ("\(managementDirectory)/\($0)", "\(directory)/\($0)") }
    }

    /// Whether management TLS will find this host's files (links in place and pointing here).
    public var isInstalledForManagement: Bool {
        isInstalled
            && managementLinks.allSatisfy {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: $0.link)) == $0.target
            }
    }

    public var certificatePath: String { "\(directory)/glusterfs.pem" }
    public var keyPath: String { "\(directory)/glusterfs.key" }
    public var caPath: String { "\(directory)/glusterfs.ca" }

    /// Puts a checked bundle in place: all three files are written to temporary files first
    /// (the key's with mode 0600), then renamed over the old ones, CA first. A failure before
    /// the renames leaves the old files as they were.
    /// - Throws: `TLSError.io`.
    public func install(_ bundle: TLSBundle) throws(TLSError) {
        let files: (certificate: String, key: String, ca: String)
        do {
            files = try bundle.glusterFiles()
        } catch {
            throw TLSError(.io, "cannot encode the bundle: \(error)")
        }
        var staged: [(temp: String, path: String)] = []
        defer { for item in staged { unlink(item.temp) } }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (text, path, mode) in [
                (files.ca, caPath, mode_t(0o644)), (files.key, keyPath, 0o600),
                (files.certificate, certificatePath, 0o644),
            ] {
                let temp = "\(path).brickctl-new"
                unlink(temp)
                let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
                guard fd >= 0 else { throw SystemError.last("create \(temp)") }
                staged.append((temp, path))
                defer { close(fd) }
                fchmod(fd, mode)
                let bytes = Array(text.utf8)
                var offset = 0
                while offset < bytes.count {
                    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw SystemError.last("write \(temp)")
                    }
                    offset += n
                }
                guard fsync(fd) == 0 else { throw SystemError.last("fsync \(temp)") }
            }
        } catch let error as TLSError {
            throw error
        } catch {
            throw TLSError(.io, "cannot write the TLS files in \(directory): \(error); nothing was installed")
        }
        for item in staged {
            guard rename(item.temp, item.path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw TLSError(
                    .io, "cannot rename \(item.temp) to \(item.path): \(reason)", remedy: .installAgain)
            }
        }
        staged = []
        let dfd = open(directory, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
        try linkForManagement()
    }

    /// Links `managementDirectory`/glusterfs.* to the files in `directory` (a symlink made beside
    /// and renamed over whatever is there); links already right are left alone.
    /// - Throws: `TLSError.io`.
    public func linkForManagement() throws(TLSError) {
        for (link, target) in managementLinks {
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == target { continue }
            let temp = "\(link).brickctl-new"
            unlink(temp)
            guard symlink(target, temp) == 0, rename(temp, link) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temp)
                throw TLSError(
                    .io,
                    "cannot link \(link) to \(target) (\(reason)): glusterd's management TLS reads that path",
                    remedy: .installAgain)
            }
        }
    }

    /// Status rows of the installed certificate and CA file (missing files are left out).
    /// - Throws: `TLSError.corruptBundle` for a file that is not PEM certificates.
    public func status(now: Date = Date()) throws(TLSError) -> [TLSStatusRow] {
        var rows: [TLSStatusRow] = []
        for path in [certificatePath, caPath] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            rows += try TLSStatusRow.rows(file: path, pem: text, now: now)
        }
        return rows
    }

    /// Whether this host has all three files.
    public var isInstalled: Bool {
        [certificatePath, keyPath, caPath].allSatisfy { FileManager.default.fileExists(atPath: $0) }
    }
}
