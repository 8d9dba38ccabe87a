extension AuthAllow {
    /// One entry of an allow list and where it came from, for the output (`10.0.0.11 (n1)`).
    public struct Source: Hashable, Sendable, CustomStringConvertible {
        public var address: String
        /// The host name it was resolved from, or what the user typed (or the caller named as its origin).
        public var origin: String

        public var description: String { address == origin ? address : "\(address) (\(origin))" }
    }

    /// The list `volume create` sets: every address of the pool's hosts (loopback left out: a
    /// brick on another host never sees it), then the extra clients, each once.
    /// - Parameter hosts: each pool host's name and the addresses it resolved to.
    /// - Throws: `.empty` when nothing is left.
    public static func pool(_ hosts: [(name: String, addresses: [String])], plus extra: [Source] = [])
        throws(AuthAllowError)
        -> (allow: AuthAllow, sources: [Source])
    {
        var sources: [Source] = []
        var seen: Set<String> = []
        for host in hosts {
            for address in host.addresses where !HostAddresses.isLoopback(address) && seen.insert(address).inserted {
                sources.append(Source(address: address, origin: host.name))
            }
        }
        for source in extra where seen.insert(source.address).inserted {
            sources.append(source)
        }
        let allow = try AuthAllow(sources.map(\.address))
        return (allow, allow.allowsEveryone ? sources.filter { $0.address == "*" } : sources)
    }
}
