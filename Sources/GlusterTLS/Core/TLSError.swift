/// Why a CA, a bundle or an installation was refused; every message says what to do, and a fix that
/// is one of brickctl's own commands is the typed ``Remedy`` (the command layer words it).
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

    /// What to run to mend it.
    public enum Remedy: Hashable, Sendable {
        /// Issue the host's bundle again on the CA's host (for `host`, when known).
        case issueAgain(host: String?)
        /// Use a bundle that brickctl issued, not another file.
        case useIssuedBundle
        /// This host may be known by `name`, the name the bundle is for.
        case knownAs(String)
        /// Make the pool's CA on one node first (or name the folder that holds it).
        case createCA
        /// Install the bundle again.
        case installAgain
    }

    public var code: Code
    public var message: String
    public var remedy: Remedy?

    public init(_ code: Code, _ message: String, remedy: Remedy? = nil) {
        self.code = code
        self.message = message
        self.remedy = remedy
    }

    public var description: String { message }
}
