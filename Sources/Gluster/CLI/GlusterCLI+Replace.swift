public import HostIO

extension GlusterCLI {
    /// Puts `plan.new` in the place of `plan.old` at once (the only form glusterd still offers).
    ///
    /// Runs `gluster volume replace-brick NAME OLD NEW commit force`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `brickAlreadyUsed`.
    public func replaceBrick(_ plan: BrickReplacement, on pool: BlockingPool) async throws(GlusterCLIError) {
        try await run(plan.replaceArguments, subject: plan.volume, on: pool)
    }
}

extension GlusterCLI {
    /// Carries out `plan.glusterCalls` in order (`add-brick`, and for an arbiter first its
    /// `remove-brick … force`).
    ///
    /// Runs `gluster volume add-brick NAME [replica N] BRICK...` (and `volume remove-brick`).
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `brickAlreadyUsed`, `hostNotInPool`.
    public func expand(_ plan: VolumeExpansion, on pool: BlockingPool) async throws(GlusterCLIError) {
        for call in plan.glusterCalls { try await run(call, subject: plan.volume, on: pool) }
    }

    /// Starts spreading the files of volume `name` over all its replica sets.
    ///
    /// Runs `gluster volume rebalance NAME start`.
    /// - Throws: `GlusterCLIError`.
    public func startRebalance(_ name: String, on pool: BlockingPool) async throws(GlusterCLIError) {
        try await run(["volume", "rebalance", name, "start"], subject: name, on: pool)
    }

    /// The rebalance of volume `name`: per node and in total.
    ///
    /// Runs `gluster volume rebalance NAME status`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` when no rebalance ever ran.
    public func rebalanceStatus(_ name: String, on pool: BlockingPool) async throws(GlusterCLIError) -> RebalanceStatus
    {
        let arguments = ["volume", "rebalance", name, "status"]
        return try decoded(try await run(arguments, subject: name, on: pool), of: arguments, RebalanceStatus.decode)
    }
}
