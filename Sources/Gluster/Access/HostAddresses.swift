import Foundation
import HostIO

#if canImport(Glibc)
    import Glibc
#endif

/// Turns host names into the addresses `auth.allow` lists, once, at the moment a list is made:
/// Gluster compares the address a client connects from, not its name.
public enum HostAddresses {
    /// The IPv4 and IPv6 addresses `name` resolves to (numeric text, in resolver order, without
    /// duplicates); an address given as text comes back as it is.
    ///
    /// The corresponding C function is `getaddrinfo` (AI_ADDRCONFIG not set: what /etc/hosts
    /// and DNS say, whether or not this host has such an interface).
    /// - Throws: `HostAddressError` when the name does not resolve.
    public static func resolve(_ name: String) throws(HostAddressError) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(name, nil, &hints, &list)
        guard rc == 0, let first = list else {
            throw HostAddressError(name: name, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }
        var seen: Set<String> = []
        var found: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let text = numericHost(entry.pointee.ai_addr, entry.pointee.ai_addrlen), seen.insert(text).inserted {
                found.append(text)
            }
            cursor = entry.pointee.ai_next
        }
        guard !found.isEmpty else { throw HostAddressError(name: name, reason: "no IPv4 or IPv6 address") }
        return found
    }

    /// The address this host would connect from to reach `server`: the one a brick sees, the
    /// one to allow. No packet is sent (a UDP socket is connected, then asked its own name).
    ///
    /// The corresponding C functions are `getaddrinfo`, `connect` (UDP) and `getsockname`.
    /// - Returns: nil when `server` does not resolve or there is no route to it.
    public static func sourceAddress(toward server: String) -> String? {
        guard let fd = ConnectedSocket.toHost(server, port: 24007, family: AF_UNSPEC, type: SOCK_DGRAM) else {
            return nil
        }
        defer { close(fd) }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { numericHost($0, length) }
        }
    }

    /// Loopback addresses (127.0.0.0/8, ::1) never reach a brick on another host: a name that
    /// resolves only to them (Debian's 127.0.1.1 for its own hostname) needs its real address.
    public static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1"
    }

    private static func numericHost(_ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t) -> String? {
        guard let address else { return nil }
        return numericHost(UnsafePointer(address), length)
    }

    private static func numericHost(_ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> String? {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A host name that does not resolve.
public struct HostAddressError: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var reason: String
    public var description: String {
        "cannot resolve \(name) (\(reason)): give its address instead, or add it to /etc/hosts or DNS"
    }
}
