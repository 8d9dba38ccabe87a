import Foundation
import HostIO

extension GlusterCLI {
    /// Every member of the trusted pool, this host included (`isSelf`, hostname `localhost`).
    ///
    /// Runs `gluster pool list`.
    /// - Throws: `GlusterCLIError`.
    public func peers() async throws(GlusterCLIError) -> [Peer] {
        let arguments = ["pool", "list"]
        let envelope = try await run(arguments)
        do {
            return try Peer.pool(from: envelope)
        } catch {
            throw .unreadable(command: display(arguments), error)
        }
    }

    /// Adds `host` to the pool; a host already in it (under this or another of its names) or this
    /// host itself is a success that changes nothing.
    ///
    /// Runs `gluster peer probe HOST`, with `pool list` before and after to tell a new member
    /// from a new name of a known one (glusterd answers both with plain success).
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `peerUnreachable`.
    @discardableResult
    public func probe(_ host: String) async throws(GlusterCLIError) -> PeerProbe {
        let before = (try? await peers()) ?? []
        if before.contains(where: { !$0.isSelf && $0.isInCluster && $0.hostnames.contains(host) }) {
            return PeerProbe(host: host, outcome: .alreadyInPool)
        }
        let probe = PeerProbe.outcome(host: host, from: try await run(["peer", "probe", host], subject: host))
        guard probe.outcome == .added else { return probe }
        let after = await joined(host)
        if !before.isEmpty, let peer = after.first(where: { $0.hostnames.contains(host) }),
            before.contains(where: { $0.uuid == peer.uuid })
        {
            return PeerProbe(host: host, outcome: .alreadyInPool)
        }
        return probe
    }

    /// The pool once `host` is in it and connected: glusterd answers a probe before the peers have
    /// finished their handshake ("Accepted peer request"), and a `volume create` right after would
    /// find the host not yet in the pool (seen under load). Waits at most `seconds`, then returns
    /// the pool as it is.
    private func joined(_ host: String, seconds: Double = 30) async -> [Peer] {
        let deadline = monotonicSeconds() + seconds
        while true {
            let pool = (try? await peers()) ?? []
            let member = pool.first { !$0.isSelf && $0.hostnames.contains(host) }
            if member.map({ $0.isInCluster && $0.connected }) == true || monotonicSeconds() >= deadline {
                return pool
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Removes `host` from the pool. Returns false when it was not in the pool (nothing to do).
    ///
    /// Runs `gluster peer detach HOST`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `peerInUse` while it hosts bricks.
    @discardableResult
    public func detach(_ host: String) async throws(GlusterCLIError) -> Bool {
        try await unlessAlready(.hostNotInPool) { () async throws(GlusterCLIError) in
            _ = try await run(["peer", "detach", host], subject: host)
        }
    }
}
