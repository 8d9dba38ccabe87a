public import HostIO

extension GlusterCLI {
    /// Puts `plan.new` in the place of `plan.old` at once (the only form glusterd still offers).
    ///
    /// Runs `gluster volume replace-brick NAME OLD NEW commit force`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `brickAlreadyUsed`.
    public func replaceBrick(_ plan: BrickReplacement) async throws(GlusterCLIError) {
        try await run(plan.replaceArguments, subject: plan.volume)
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
