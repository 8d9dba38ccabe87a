/// What the plugin decides for each request, as plain values (the edge carries them out).
extension PluginState {
    public enum CreateDecision: Equatable, Sendable {
        /// Not known here: make its directory (idempotent) and remember it.
        case make(PluginVolume)
        /// Known with the same settings (a second Create, Swarm's Create on every node): nothing to do.
        case exists(PluginVolume)
    }

    /// - Throws: `PluginError` (`conflict`) when a volume of that name exists with other settings.
    public func decideCreate(_ requested: PluginVolume) throws(PluginError) -> CreateDecision {
        guard let existing = volumes[requested.name] else { return .make(requested) }
        guard existing.sameSettings(as: requested) else {
            throw PluginError(
                .conflict,
                "volume \(requested.name) exists with \(existing.optionsText); asked for \(requested.optionsText): use the same options, or another name"
            )
        }
        return .exists(existing)
    }

    public enum MarkerDecision: Equatable, Sendable {
        /// No marker on Gluster: a new volume (its directory, quota and marker are made).
        case makeNew
        /// Another host's plugin made it with the same settings: take its description (who made
        /// it, when) and make sure its directory exists.
        case adopt(PluginVolume)
    }

    /// What a Create of the shared volume `requested` does with the marker found on its Gluster
    /// volume (nil: none), once the marker is read and checked (`MarkerListing.volume`).
    /// - Throws: `PluginError` (`conflict`) when the marker describes other settings.
    public static func decideMarker(_ marker: PluginVolume?, for requested: PluginVolume) throws(PluginError)
        -> MarkerDecision
    {
        guard let marker else { return .makeNew }
        guard marker.sameSettings(as: requested) else {
            throw PluginError(
                .conflict,
                "volume \(requested.name) exists on Gluster volume \(requested.glusterVolume ?? "?") with \(marker.optionsText) (made on \(marker.createdOn)); asked for \(requested.optionsText): use the same options or another name"
            )
        }
        return .adopt(marker)
    }

    /// Takes `volume` (read from its marker: another host's plugin made it) unless a volume of
    /// that name is known here already; returns the one known afterwards.
    public mutating func adopt(_ volume: PluginVolume) -> PluginVolume {
        if let existing = volumes[volume.name] { return existing }
        volumes[volume.name] = volume
        return volume
    }

    public enum RemoveDecision: Equatable, Sendable {
        /// Forget it; delete its files too when it was created with on-remove=delete.
        case forget(PluginVolume, deleteFiles: Bool)
        /// Not known: nothing to do (Remove is idempotent).
        case unknown
    }

    /// - Throws: `PluginError` (`in-use`) while any mount ID holds the volume.
    public func decideRemove(_ name: String) throws(PluginError) -> RemoveDecision {
        guard let volume = volumes[name] else { return .unknown }
        let holders = references.holders[name] ?? [:]
        guard holders.isEmpty else {
            throw PluginError(
                .inUse,
                "volume \(name) is mounted by \(holders.count) mount\(holders.count == 1 ? "" : "s") (\(holders.keys.sorted().map { String($0.prefix(12)) }.joined(separator: ", "))): stop the containers using it first"
            )
        }
        return .forget(volume, deleteFiles: volume.deleteOnRemove)
    }

    /// Records a Mount of `name` by `id`.
    public mutating func recordMount(_ name: String, id: String) {
        references.add(volume: name, id: id)
    }

    /// Records an Unmount and returns the Gluster volume whose FUSE mount nobody holds any more
    /// (release it), or nil. An unknown (name, id) changes nothing.
    public mutating func recordUnmount(_ name: String, id: String) -> String? {
        guard references.remove(volume: name, id: id), let gluster = volumes[name]?.glusterVolume,
            !isFuseMountHeld(gluster)
        else { return nil }
        return gluster
    }
}
