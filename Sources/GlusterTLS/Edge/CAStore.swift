import Crypto
import Foundation
import HostIO
import X509

#if canImport(Glibc)
    import Glibc
#endif

/// The pool CA on disk (`tls init`, on one node): `ca.key` (0600), `ca.pem`, and `issued/`
/// with the certificate (never the key) of every host it issued one to — the names
/// `tls enable` puts in `auth.ssl-allow`.
public struct CAStore: Sendable {
    public var directory: String

    public init(directory: String = "/etc/brickctl/tls") {
        self.directory = directory
    }

    public var keyPath: String { "\(directory)/ca.key" }
    public var certificatePath: String { "\(directory)/ca.pem" }
    public var issuedDirectory: String { "\(directory)/issued" }

    public var exists: Bool {
        FileManager.default.fileExists(atPath: keyPath) || FileManager.default.fileExists(atPath: certificatePath)
    }

    /// Writes a new CA; refuses to replace one (every issued certificate depends on it).
    /// - Throws: `TLSError.io`.
    public func create(_ ca: PoolCA) throws(TLSError) {
        do {
            try FileManager.default.createDirectory(
                atPath: issuedDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            chmod(directory, 0o700)
            try writeNew(Data((ca.key.pemRepresentation + "\n").utf8), to: keyPath, mode: 0o600)
            try writeNew(
                Data((try ca.certificate.serializeAsPEM().pemString + "\n").utf8), to: certificatePath, mode: 0o644)
        } catch let error as TLSError {
            throw error
        } catch {
            throw TLSError(.io, "cannot write the CA in \(directory): \(error)")
        }
    }

    /// The CA.
    /// - Throws: `TLSError.noCA` when there is none here; `.corruptBundle` when unreadable.
    public func load() throws(TLSError) -> PoolCA {
        guard let keyText = try? String(contentsOfFile: keyPath, encoding: .utf8),
            let certificateText = try? String(contentsOfFile: certificatePath, encoding: .utf8)
        else {
            throw TLSError(
                .noCA, "there is no CA in \(directory)", remedy: .createCA)
        }
        do {
            return PoolCA(
                key: try P256.Signing.PrivateKey(pemRepresentation: keyText),
                certificate: try Certificate(pemEncoded: certificateText))
        } catch {
            throw TLSError(.corruptBundle, "the CA in \(directory) cannot be read (\(error))")
        }
    }

    /// Keeps the certificate of an issued bundle (its name is what `tls enable` allows).
    /// - Throws: `TLSError.io`.
    public func record(_ bundle: TLSBundle) throws(TLSError) {
        do {
            try FileManager.default.createDirectory(atPath: issuedDirectory, withIntermediateDirectories: true)
            try AtomicFile.write(
                Data((try bundle.certificate.serializeAsPEM().pemString + "\n").utf8),
                to: "\(issuedDirectory)/\(bundle.host).pem")
        } catch {
            throw TLSError(.io, "cannot record the certificate for \(bundle.host) in \(issuedDirectory): \(error)")
        }
    }

    /// The names the CA issued certificates to, sorted.
    public func issuedNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: issuedDirectory)) ?? []
        return files.filter { $0.hasSuffix(".pem") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Writes a bundle file with mode 0600 (it holds a private key), atomically.
    /// - Throws: `TLSError.io`.
    public static func writeBundle(_ bundle: TLSBundle, to path: String) throws(TLSError) {
        do {
            try AtomicFile.write(Data(try bundle.pem().utf8), to: path, mode: 0o600) { temp in
                guard chmod(temp, 0o600) == 0 else { throw SystemError.last("chmod \(temp)") }
            }
        } catch {
            throw TLSError(.io, "cannot write the bundle \(path): \(error)")
        }
    }

    private func writeNew(_ data: Data, to path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SystemError.last("create \(path)") }
        defer { close(fd) }
        fchmod(fd, mode)
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress!, data.count) }
        guard written == data.count, fsync(fd) == 0 else { throw SystemError.last("write \(path)") }
    }
}
