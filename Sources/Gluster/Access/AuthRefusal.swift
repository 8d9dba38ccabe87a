/// A brick's refusal of this client, as the glusterfs client logs it when `auth.allow` (or
/// `auth.ssl-allow`) does not list it:
/// `client-handshake.c:…:client_setvolume_cbk] 0-VOL-client-0: SETVOLUME on remote-host failed
/// [{remote-error=Authentication failed}, {errno=13}, {error=Permission denied}]`.
public enum AuthRefusal {
    /// Whether one of the client's log lines is such a refusal.
    public static func isRefusal(_ lines: [String]) -> Bool {
        lines.contains { line in
            line.contains("Authentication failed")
                || (line.contains("SETVOLUME on remote-host failed") && line.contains("Permission denied"))
        }
    }

    /// What to tell the user: which address to allow, and where.
    public static func advice(volume: String, clientAddress: String?) -> String {
        let address = clientAddress ?? "THIS-HOST'S-ADDRESS"
        return
            "the bricks refused this host (auth.allow of \(volume) does not list \(clientAddress ?? "its address")): on a pool host run `brickctl volume allow \(volume) \(address)`"
    }
}
