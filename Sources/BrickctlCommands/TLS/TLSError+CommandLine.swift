import GlusterTLS

extension TLSError: CommandLineWorded {
    /// The refusal with the `brickctl tls` command (or option) that mends it.
    var commandLineText: String {
        guard let remedy else { return message }
        switch remedy {
        case .issueAgain(let host):
            return "\(message) (`brickctl tls issue \(host ?? "HOST")` on the CA's host)"
        case .useIssuedBundle:
            return "\(message): use the bundle file `brickctl tls issue` wrote"
        case .knownAs(let name):
            return "\(message), or pass --for-host \(name) if this host is known by that name"
        case .createCA:
            return "\(message): run `brickctl tls init` on one node first (or pass --dir)"
        case .installAgain:
            return "\(message); run `brickctl tls install` again as root"
        }
    }
}
