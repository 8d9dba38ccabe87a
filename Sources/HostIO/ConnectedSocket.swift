public import Glibc

/// A socket connected for a short exchange (a probe, one request): by host name and port, or by
/// unix socket path. The caller owns the descriptor and closes it.
public enum ConnectedSocket {
    /// A socket of `type` connected to the first address `host` resolves to for `port`, with
    /// `timeoutSeconds` (when given) on connect, send and receive.
    ///
    /// The corresponding C functions are `getaddrinfo`, `socket`, `setsockopt` and `connect`.
    /// - Parameter family: `AF_INET`, `AF_INET6` or `AF_UNSPEC` (whatever resolves first).
    /// - Returns: the descriptor; nil when `host` does not resolve or the connect fails.
    public static func toHost(
        _ host: String, port: Int, family: Int32, type: __socket_type, timeoutSeconds: Double? = nil
    ) -> Int32? {
        var hints = addrinfo()
        hints.ai_family = family
        hints.ai_socktype = Int32(type.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, "\(port)", &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(first) }
        let fd = socket(first.pointee.ai_family, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        if let timeoutSeconds { setTimeouts(fd, seconds: timeoutSeconds) }
        guard connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// A stream socket connected to the unix socket at `path`, with `timeoutSeconds` (when given)
    /// on connect, send and receive.
    ///
    /// The corresponding C functions are `socket`, `setsockopt` and `connect`.
    /// - Returns: the descriptor; nil when the path is too long or nothing accepts there.
    public static func toUnixPath(_ path: String, timeoutSeconds: Double? = nil) -> Int32? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, b) in bytes.enumerated() { buffer[i] = b }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        if let timeoutSeconds { setTimeouts(fd, seconds: timeoutSeconds) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
        guard connected else {
            close(fd)
            return nil
        }
        return fd
    }

    /// `SO_RCVTIMEO` and `SO_SNDTIMEO` (which Linux also applies to `connect`).
    private static func setTimeouts(_ fd: Int32, seconds: Double) {
        var wait = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }
}
