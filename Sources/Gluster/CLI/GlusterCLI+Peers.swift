extension GlusterCLI {
    /// Every member of the trusted pool, this host included (`isSelf`, hostname `localhost`).
    ///
    /// Runs `gluster pool list`.
    /// - Throws: `GlusterCLIError`.
    public func peers() throws(GlusterCLIError) -> [Peer] {
        let arguments = ["pool", "list"]
        let envelope = try run(arguments)
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
    public func probe(_ host: String) throws(GlusterCLIError) -> PeerProbe {
        let before = (try? peers()) ?? []
        if before.contains(where: { !$0.isSelf && $0.isInCluster && $0.hostnames.contains(host) }) {
            return PeerProbe(host: host, outcome: .alreadyInPool)
        }
        let probe = PeerProbe.outcome(host: host, from: try run(["peer", "probe", host], subject: host))
        guard probe.outcome == .added, !before.isEmpty else { return probe }
        let after = (try? peers()) ?? []
        if let peer = after.first(where: { $0.hostnames.contains(host) }),
            before.contains(where: { $0.uuid == peer.uuid })
        {
            return PeerProbe(host: host, outcome: .alreadyInPool)
        }
        return probe
    }

    /// Removes `host` from the pool. Returns false when it was not in the pool (nothing to do).
    ///
    /// Runs `gluster peer detach HOST`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `peerInUse` while it hosts bricks.
    @discardableResult
    public func detach(_ host: String) throws(GlusterCLIError) -> Bool {
        try unlessAlready(.hostNotInPool) { () throws(GlusterCLIError) in
            _ = try run(["peer", "detach", host], subject: host)
        }
    }
}
