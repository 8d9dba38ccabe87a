public import HostIO

/// Directory quotas (`gluster volume quota`), the way the plugin's `-o size=` sets them.
extension GlusterCLI {
    /// Turns quota on for volume `name`; a volume that has it on already is left as it is.
    ///
    /// Runs `gluster volume quota NAME enable` (on this host's glusterd: only a pool member can).
    public func enableQuota(_ name: String) async throws(GlusterCLIError) {
        do {
            try await runText(["volume", "quota", name, "enable"], subject: name)
        } catch  where error.description.contains("already enabled") {
            return
        }
    }

    /// Limits `directory` of volume `name` to `size` (e.g. `10GB`).
    ///
    /// Runs `gluster volume quota NAME limit-usage DIRECTORY SIZE`; quota must be on.
    public func limitUsage(_ name: String, directory: String, size: String)
        async throws(GlusterCLIError)
    {
        try await runText(["volume", "quota", name, "limit-usage", directory, size], subject: name)
    }

    /// How long the quota enforcer trusts its cached usage of a limited directory, below and above
    /// the soft limit (gluster's defaults: 60 s and 5 s, during which writes pass the limit: 100 MiB
    /// went into a 20 MB directory in 3 s on the lab). 0 s for both makes every write check it.
    ///
    /// Runs `gluster volume quota NAME soft-timeout S` and `... hard-timeout S`; quota must be on.
    public func setQuotaTimeouts(_ name: String, soft: Int, hard: Int)
        async throws(GlusterCLIError)
    {
        try await runText(["volume", "quota", name, "soft-timeout", "\(soft)"], subject: name)
        try await runText(["volume", "quota", name, "hard-timeout", "\(hard)"], subject: name)
    }
}
