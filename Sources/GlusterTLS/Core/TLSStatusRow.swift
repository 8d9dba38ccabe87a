public import Foundation
import HostIO
import SwiftASN1
public import X509

/// One certificate as `brickctl tls status` shows it. No key material, ever.
public struct TLSStatusRow: Sendable, Encodable, Equatable {
    /// Which file: glusterfs.pem, glusterfs.ca, ca.pem.
    public var file: String
    public var subject: String
    public var issuer: String
    /// The expiry date, UTC, yyyy-MM-dd.
    public var expires: String
    public var daysLeft: Int
    public var expired: Bool

    public init(file: String, certificate: Certificate, now: Date = Date()) {
        self.file = file
        subject = certificate.subject.description
        issuer = certificate.issuer.description
        expires = TLSStatusRow.day(certificate.notValidAfter)
        let left = certificate.notValidAfter.timeIntervalSince(now)
        daysLeft = Int((left / 86_400).rounded(.down))
        expired = left <= 0
    }

    /// Rows for every certificate of a PEM file (a CA file may hold several).
    /// - Throws: `TLSError.corruptBundle` when the file is not PEM certificates.
    public static func rows(file: String, pem: String, now: Date = Date()) throws(TLSError) -> [TLSStatusRow] {
        do {
            return try PEMDocument.parseMultiple(pemString: pem).filter { $0.discriminator == "CERTIFICATE" }.map {
                TLSStatusRow(file: file, certificate: try Certificate(derEncoded: $0.derBytes), now: now)
            }
        } catch {
            throw TLSError(.corruptBundle, "\(file) is not a PEM certificate file (\(error))")
        }
    }

    /// `2028-11-29`, UTC.
    public static func day(_ date: Date) -> String {
        DateFormatter.utc("yyyy-MM-dd").string(from: date)
    }
}
