public import Crypto
public import Foundation
import SwiftASN1
public import X509

/// The pool's certificate authority: an ECDSA P-256 key and a self-signed CA certificate, and
/// the certificates it issues to nodes and clients (CN = SAN DNS = the host's name, usable as
/// TLS server and client: Gluster uses one certificate for both).
///
/// Pure: makes values in memory; `CAStore` keeps them on disk.
public struct PoolCA: Sendable {
    public var key: P256.Signing.PrivateKey
    public var certificate: Certificate

    /// How long a CA certificate is valid.
    public static let caValidity: TimeInterval = 10 * 365 * 86_400
    /// How long an issued certificate is valid.
    public static let hostValidity: TimeInterval = 2 * 365 * 86_400

    /// A new CA named `name` (its CN), valid from a few minutes before `now` (clocks of the
    /// pool differ a little) for `caValidity`.
    /// - Throws: what swift-certificates throws while signing.
    public static func make(name: String, now: Date = Date()) throws -> PoolCA {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("brickctl")
            CommonName(name)
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(caValidity),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return PoolCA(key: key, certificate: certificate)
    }

    /// A key and certificate for `host`, signed by this CA, as a bundle.
    /// - Throws: `TLSError.badHostName` for a name Gluster could not match; signing errors.
    public func issue(host: String, now: Date = Date(), validity: TimeInterval = PoolCA.hostValidity) throws
        -> TLSBundle
    {
        guard TLSBundle.isHostName(host) else {
            throw TLSError(
                .badHostName,
                "\(host) is not a host name: use letters, digits, '-' and '.' (the name glusterd and clients know the host by)"
            )
        }
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(validity),
            issuer: self.certificate.subject,
            subject: try DistinguishedName {
                OrganizationName("brickctl")
                CommonName(host)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyAgreement: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames([.dnsName(host)])
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(self.key))
        return TLSBundle(key: key, certificate: certificate, authorities: [self.certificate])
    }
}
