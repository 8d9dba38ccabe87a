public import Crypto
public import Foundation
import SwiftASN1
public import X509

/// What `brickctl tls issue` hands to a host and `tls install` puts in place: a private key, its
/// certificate, and the CA certificate(s) to trust, in one PEM file (mode 0600).
///
/// Parsing checks everything before anything is written: the key matches the certificate, a CA
/// of the bundle signed it, it is not expired, it is for the host.
public struct TLSBundle: Sendable {
    public var key: P256.Signing.PrivateKey
    public var certificate: Certificate
    /// The CA certificates (Gluster's glusterfs.ca: every CA that signed a peer's certificate).
    public var authorities: [Certificate]

    /// The bundle's text: key, certificate, then the CA certificates.
    public func pem() throws -> String {
        try
            ([key.pemRepresentation, certificate.serializeAsPEM().pemString]
            + authorities.map { try $0.serializeAsPEM().pemString })
            .joined(separator: "\n") + "\n"
    }

    /// The files Gluster reads: glusterfs.pem (certificate), glusterfs.key, glusterfs.ca.
    public func glusterFiles() throws -> (certificate: String, key: String, ca: String) {
        (
            try certificate.serializeAsPEM().pemString + "\n", key.pemRepresentation + "\n",
            try authorities.map { try $0.serializeAsPEM().pemString }.joined(separator: "\n") + "\n"
        )
    }

    /// The name the certificate is for: its CN (what `auth.ssl-allow` lists).
    public var host: String { certificate.commonName ?? "" }

    /// A DNS-style host name: letters, digits, '-', '.', not starting with '-' or '.'.
    public static func isHostName(_ text: String) -> Bool {
        guard let first = text.first, text.count <= 253, first != "-", first != "." else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }
    }
}

extension Certificate {
    /// The subject's common name.
    public var commonName: String? {
        for rdn in subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return attribute.value.description
            }
        }
        return nil
    }

    /// The CN and SAN DNS names.
    var names: [String] {
        var result = commonName.map { [$0] } ?? []
        if let san = try? extensions.subjectAlternativeNames {
            for name in san {
                if case .dnsName(let dns) = name, !result.contains(dns) { result.append(dns) }
            }
        }
        return result
    }

    /// A CA certificate (basicConstraints CA:TRUE).
    var isAuthority: Bool {
        if case .isCertificateAuthority = (try? extensions.basicConstraints) ?? .notCertificateAuthority { return true }
        return false
    }
}

extension TLSBundle {
    /// Reads and checks a bundle.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - host: the host it must be for (CN or a SAN DNS name), nil = any.
    ///   - now: for the expiry check.
    /// - Throws: `TLSError`: `.corruptBundle`, `.noPrivateKey`, `.noCertificate`,
    ///   `.keyDoesNotMatch`, `.missingCA`, `.notSignedByCA`, `.expired`, `.wrongHost`.
    public init(parsing text: String, for host: String?, now: Date = Date()) throws(TLSError) {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw TLSError(
                .corruptBundle,
                "the bundle is not PEM (\(error)): issue it again on the CA's host and copy the whole file",
                remedy: .issueAgain(host: host))
        }
        guard !documents.isEmpty else {
            throw TLSError(
                .corruptBundle,
                "the bundle holds no PEM block: issue it again and copy the whole file", remedy: .issueAgain(host: host)
            )
        }
        var keys: [P256.Signing.PrivateKey] = []
        var certificates: [Certificate] = []
        for document in documents {
            switch document.discriminator {
            case "PRIVATE KEY", "EC PRIVATE KEY":
                do {
                    keys.append(try P256.Signing.PrivateKey(derRepresentation: document.derBytes))
                } catch {
                    throw TLSError(
                        .corruptBundle, "the bundle's private key cannot be read (\(error)): issue the bundle again")
                }
            case "CERTIFICATE":
                do {
                    certificates.append(try Certificate(derEncoded: document.derBytes))
                } catch {
                    throw TLSError(
                        .corruptBundle, "a certificate of the bundle cannot be read (\(error)): issue the bundle again")
                }
            default:
                throw TLSError(
                    .corruptBundle,
                    "the bundle holds a \(document.discriminator) block, which brickctl does not write",
                    remedy: .useIssuedBundle)
            }
        }
        guard keys.count == 1, let key = keys.first else {
            throw TLSError(
                .noPrivateKey,
                keys.isEmpty
                    ? "the bundle has no private key: use the whole bundle file (mode 0600), not a certificate alone"
                    : "the bundle has \(keys.count) private keys", remedy: .useIssuedBundle)
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        guard let leaf = certificates.first(where: { !$0.isAuthority }) else {
            throw TLSError(
                .noCertificate, "the bundle has no host certificate: issue it again", remedy: .issueAgain(host: host))
        }
        guard leaf.publicKey == publicKey else {
            throw TLSError(
                .keyDoesNotMatch,
                "the bundle's private key does not belong to its certificate (\(leaf.subject)): issue the bundle again")
        }
        let authorities = certificates.filter(\.isAuthority)
        guard !authorities.isEmpty else {
            throw TLSError(
                .missingCA,
                "the bundle has no CA certificate: without it this host trusts nobody; issue the bundle again",
                remedy: .issueAgain(host: leaf.commonName ?? host))
        }
        guard
            authorities.contains(where: {
                $0.subject == leaf.issuer && $0.publicKey.isValidSignature(leaf.signature, for: leaf)
            })
        else {
            throw TLSError(
                .notSignedByCA,
                "the certificate for \(leaf.commonName ?? "?") was not signed by the bundle's CA (\(authorities.map { "\($0.subject)" }.joined(separator: ", "))): issue it again from the pool's CA"
            )
        }
        guard leaf.notValidAfter > now else {
            throw TLSError(
                .expired,
                "the certificate for \(leaf.commonName ?? "?") expired on \(TLSStatusRow.day(leaf.notValidAfter)): issue a new one",
                remedy: .issueAgain(host: leaf.commonName ?? host))
        }
        if let host, !leaf.names.contains(where: { $0.caseInsensitiveCompare(host) == .orderedSame }) {
            throw TLSError(
                .wrongHost,
                "the bundle is for \(leaf.names.joined(separator: ", ")), not for \(host): install the bundle issued for \(host)",
                remedy: .knownAs(leaf.commonName ?? "NAME"))
        }
        self.init(key: key, certificate: leaf, authorities: authorities)
    }
}
