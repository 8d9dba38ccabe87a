/// A brick's refusal of this client, as the glusterfs client logs it when `auth.allow` (or
/// `auth.ssl-allow`) does not list it:
/// `client-handshake.c:…:client_setvolume_cbk] 0-VOL-client-0: SETVOLUME on remote-host failed
/// [{remote-error=Authentication failed}, {errno=13}, {error=Permission denied}]`.
///
/// The facts only: which volume refused, and which address of this host it must allow. Each layer
/// words the fix in its own terms (the plugin in gluster's, `brickctl` in its own commands).
public struct AuthRefusal: Hashable, Sendable, CustomStringConvertible {
    /// The volume whose bricks refused this host.
    public var volume: String
    /// The address this host reaches the pool from (what `auth.allow` must list), when known.
    public var clientAddress: String?

    /// The refusal of this host by `volume`, whose bricks it reaches as it reaches `server`.
    public static func ofThisHost(volume: String, toward server: String) -> AuthRefusal {
        AuthRefusal(volume: volume, clientAddress: HostAddresses.sourceAddress(toward: server))
    }

    /// Whether one of the client's log lines is such a refusal.
    public static func isRefusal(_ lines: [String]) -> Bool {
        lines.contains { line in
            line.contains("Authentication failed")
                || (line.contains("SETVOLUME on remote-host failed") && line.contains("Permission denied"))
        }
    }

    /// The address to allow as words: the address, or a placeholder when it is not known.
    public var addressToAllow: String { clientAddress ?? "THIS-HOST'S-ADDRESS" }

    /// What happened, in Gluster's terms: `the bricks refused this host (auth.allow of gv does not
    /// list 10.0.0.14)`.
    public var description: String {
        "the bricks refused this host (auth.allow of \(volume) does not list \(clientAddress ?? "its address"))"
    }
}
