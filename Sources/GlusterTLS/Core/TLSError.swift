/// Why a CA, a bundle or an installation was refused; every message says what to do.
public struct TLSError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        case corruptBundle = "corrupt-bundle"
        case noPrivateKey = "no-private-key"
        case noCertificate = "no-certificate"
        case keyDoesNotMatch = "key-does-not-match"
        case missingCA = "missing-ca"
        case notSignedByCA = "not-signed-by-ca"
        case expired = "expired"
        case wrongHost = "wrong-host"
        case badHostName = "bad-host-name"
        case noCA = "no-ca"
        case io = "io"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
