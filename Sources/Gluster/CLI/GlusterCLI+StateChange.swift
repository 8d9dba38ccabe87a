extension GlusterCLI {
    /// Runs `change`, a state change that glusterd refuses with `kind` when the state already is
    /// the one asked for (`alreadyStarted`, `volumeNotStarted`, `hostNotInPool`): safe to run twice.
    ///
    /// - Returns: false when glusterd answered with that refusal (nothing changed), true when
    ///   `change` succeeded.
    /// - Throws: `GlusterCLIError`: every other failure of `change`.
    public func unlessAlready(
        _ kind: GlusterRefusal.Kind, _ change: () async throws(GlusterCLIError) -> Void
    ) async throws(GlusterCLIError) -> Bool {
        do {
            try await change()
            return true
        } catch .refused(let refusal, _) where refusal.kind == kind {
            return false
        }
    }
}
