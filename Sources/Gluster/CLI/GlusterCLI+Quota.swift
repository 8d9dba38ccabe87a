public import HostIO

/// Directory quotas (`gluster volume quota`), the way the plugin's `-o size=` sets them.
extension GlusterCLI {
    /// Turns quota on for volume `name`; a volume that has it on already is left as it is.
    ///
    /// Runs `gluster volume quota NAME enable` (on this host's glusterd: only a pool member can).
    public func enableQuota(_ name: String, on pool: BlockingPool) async throws(GlusterCLIError) {
        do {
            try await runText(["volume", "quota", name, "enable"], subject: name, on: pool)
        } catch  where error.description.contains("already enabled") {
            return
        }
    }

    /// Limits `directory` of volume `name` to `size` (e.g. `10GB`).
    ///
    /// Runs `gluster volume quota NAME limit-usage DIRECTORY SIZE`; quota must be on.
    public func limitUsage(_ name: String, directory: String, size: String, on pool: BlockingPool)
        async throws(GlusterCLIError)
    {
        try await runText(["volume", "quota", name, "limit-usage", directory, size], subject: name, on: pool)
    }
}
