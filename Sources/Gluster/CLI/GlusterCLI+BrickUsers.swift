extension GlusterCLI {
    /// The volumes with a brick at `path` (or inside it, with `includingSubpaths`), in glusterd's
    /// order, each named once.
    ///
    /// Runs `gluster volume info`.
    /// - Parameter hostUUID: only bricks of the host with this glusterd UUID (`LocalGlusterd.uuid`
    ///   for this host); nil = bricks on any host.
    /// - Throws: `GlusterCLIError`.
    public func volumesUsing(path: String, includingSubpaths: Bool = false, hostUUID: String? = nil)
        async throws(GlusterCLIError) -> [String]
    {
        try await volumes().filter { volume in
            volume.bricks.contains { brick in
                (brick.address.path == path || includingSubpaths && brick.address.path.hasPrefix(path + "/"))
                    && (hostUUID == nil || brick.hostUUID == hostUUID)
            }
        }.map(\.name)
    }
}
