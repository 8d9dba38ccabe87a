public import HostIO

extension GlusterCLI {
    /// Puts `plan.new` in the place of `plan.old` at once (the only form glusterd still offers).
    ///
    /// Runs `gluster volume replace-brick NAME OLD NEW commit force`. glusterd's staging refuses
    /// it while the self-heal daemon of any host is (re)starting, which it does for a few seconds
    /// after a start or an option change ("Staging failed on n2. Error: Self-heal daemon is not
    /// running"); a staging refusal changed nothing, so the call is tried again for up to 30 s.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `brickAlreadyUsed`, or
    ///   `selfHealNotReady` once the window is over.
    public func replaceBrick(_ plan: BrickReplacement) async throws(GlusterCLIError) {
        try await retrying(.whileSelfHealStarts(limit: max(busyRetry, 30))) { () async throws(GlusterCLIError) in
            try await run(plan.replaceArguments, subject: plan.volume)
        }
    }
}

extension GlusterCLI {
    /// Carries out `plan.glusterCalls` in order (`add-brick`, and for an arbiter first its
    /// `remove-brick … force`).
    ///
    /// Runs `gluster volume add-brick NAME [replica N] BRICK...` (and `volume remove-brick`).
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `brickAlreadyUsed`, `hostNotInPool`.
    public func expand(_ plan: VolumeExpansion) async throws(GlusterCLIError) {
        for call in plan.glusterCalls { try await run(call, subject: plan.volume) }
    }

    /// Starts spreading the files of volume `name` over all its replica sets.
    ///
    /// Runs `gluster volume rebalance NAME start`.
    /// - Throws: `GlusterCLIError`.
    public func startRebalance(_ name: String) async throws(GlusterCLIError) {
        try await run(["volume", "rebalance", name, "start"], subject: name)
    }

    /// The rebalance of volume `name`: per node and in total.
    ///
    /// Runs `gluster volume rebalance NAME status`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` when no rebalance ever ran.
    public func rebalanceStatus(_ name: String) async throws(GlusterCLIError) -> RebalanceStatus {
        let arguments = ["volume", "rebalance", name, "status"]
        let envelope = try await run(arguments, subject: name)
        return try decoded(envelope, of: arguments, RebalanceStatus.decode)
    }
}
