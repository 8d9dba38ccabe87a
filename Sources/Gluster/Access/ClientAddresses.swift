import Foundation

/// Client addresses typed by the user (`10.0.0.5`, `10.0.0.*`, `client1`): patterns as they are,
/// names resolved once, here, so the list shows what Gluster will compare.
public enum ClientAddresses {
    /// - Throws: `HostAddressError` naming a name that does not resolve.
    public static func resolve(_ words: [String], origin: String? = nil) throws(HostAddressError) -> [AuthAllow.Source]
    {
        var result: [AuthAllow.Source] = []
        for word in words.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let text = word.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "*" || AuthAllow.isAddressPattern(text) {
                result.append(AuthAllow.Source(address: text, origin: origin ?? text))
                continue
            }
            for address in try HostAddresses.resolve(text) {
                result.append(AuthAllow.Source(address: address, origin: text))
            }
        }
        return result
    }

    /// The pool's hosts (this one and every peer in the cluster) with their addresses, resolved
    /// now. This host's name may resolve only to loopback (Debian's 127.0.1.1): then the address
    /// it reaches the first other peer from counts instead.
    /// - Throws: `PoolHostAddressError` when a peer's name does not resolve.
    public static func pool(_ peers: [Peer]) throws(PoolHostAddressError) -> [(name: String, addresses: [String])] {
        let others = peers.filter { !$0.isSelf && $0.isInCluster }
        var hosts: [(name: String, addresses: [String])] = []
        let me = LocalGlusterd.hostname
        var mine = (try? HostAddresses.resolve(me)) ?? []
        if mine.allSatisfy(HostAddresses.isLoopback), let toward = others.first?.hostname,
            let source = HostAddresses.sourceAddress(toward: toward)
        {
            mine = [source]
        }
        hosts.append((me, mine))
        for peer in others {
            do {
                hosts.append((peer.hostname, try HostAddresses.resolve(peer.hostname)))
            } catch {
                throw PoolHostAddressError(cause: error)
            }
        }
        return hosts
    }
}

/// A host of the pool whose name does not resolve.
public struct PoolHostAddressError: Error, CustomStringConvertible, Sendable {
    public var cause: HostAddressError
    public var description: String { "pool host \(cause.description)" }
}
