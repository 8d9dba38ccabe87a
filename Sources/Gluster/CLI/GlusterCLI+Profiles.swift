extension GlusterCLI {
    /// Brings volume `name`'s options to `profile`: sets the options that differ (`web`), or
    /// resets every key brickctl's profiles set that the volume has changed (`default`).
    ///
    /// Safe to run twice: an option already at the profile's value is not set again.
    /// - Parameter dryRun: compute the changes, change nothing.
    /// - Returns: what changed (or would), as `key = value` / `key reset` lines.
    /// - Throws: `GlusterCLIError`; `.refused` with kind `noSuchVolume` when there is no volume.
    public func apply(profile: VolumeProfile, to name: String, dryRun: Bool = false) async throws(GlusterCLIError)
        -> [String]
    {
        guard let volume = try await volume(name) else {
            throw .refused(
                GlusterRefusal.interpret("Volume \(name) does not exist", subject: name),
                command: display(["volume", "info", name]))
        }
        var current: [String: String] = [:]
        for option in volume.options { current[option.key] = option.value }
        var changes: [String] = []
        for option in profile.pendingOptions(current: current) {
            changes.append("\(option.key) = \(option.value)")
            if !dryRun { try await set(name, option.key, option.value) }
        }
        for key in profile.resetKeys where current[key] != nil {
            changes.append("\(key) reset")
            if !dryRun { try await reset(name, key) }
        }
        return changes
    }
}
