public import Foundation

/// How a starting plugin rebuilds its state from the two files it saves: the volumes from the
/// state file, the references of this boot from the references file.
extension PluginState {
    /// The state to start from.
    ///
    /// References count only within the boot they were saved in (after a reboot no container
    /// holds anything). They come from the references file when it belongs to `boot` — whatever
    /// boot the state file last recorded: the state file is rewritten only when a volume changes,
    /// so after a reboot its boot id stays old while the references file has the new one. A state
    /// file without a references file beside it (written before references had their own file)
    /// gives its own references, if of this boot. A references file that cannot be read (only a
    /// power loss does that: it is replaced by rename, and a power loss means a reboot) gives none,
    /// with a note for the log. References to volumes not in the state are dropped.
    /// - Parameters:
    ///   - saved: the decoded state file, nil when there is none yet.
    ///   - references: the references file's bytes, nil when there is none.
    ///   - boot: this boot's id (`/proc/sys/kernel/random/boot_id`).
    public static func restored(saved: PluginState?, references: Data?, boot: String?) -> (
        state: PluginState, note: String?
    ) {
        var state = saved ?? PluginState()
        var note: String?
        let savedBoot = state.bootID
        state.bootID = boot
        state.references = MountReferences()
        if let references {
            do {
                let file = try JSONDecoder().decode(References.self, from: references)
                if file.bootID == boot { state.references = file.references }
            } catch {
                note =
                    "the references file is unreadable (\(error)): starting with no mounts recorded; containers that run keep their mounts until their next Unmount"
            }
        } else if let saved, savedBoot == boot {
            state.references = saved.references
        }
        for volume in state.references.holders.keys where state.volumes[volume] == nil {
            state.references.drop(volume: volume)
        }
        return (state, note)
    }
}
