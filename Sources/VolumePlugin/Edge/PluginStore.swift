import Foundation
import Synchronization

/// The plugin's state in memory and on disk, changed in one place. `update` saves a change before
/// it returns and before anyone else sees it, so a reply sent after `update` never runs ahead of
/// the saved state, and a restart (even after `kill -9`) starts from every change answered.
///
/// Two files: `state.json` (volumes; fsync'd file and folder, replaced by rename: a Create or
/// Remove survives a power loss) and `references.json` (who holds what mounted; replaced by rename,
/// not fsync'd: it survives a killed process in the page cache, and a power loss means a reboot,
/// after which no container holds anything and the references are dropped anyway).
final class PluginStore: Sendable {
    private let state: Mutex<PluginState>
    private let stateFile: StateFile
    private let referencesFile: StateFile
    /// Something to log about the state found at start (a damaged references file), or nil.
    let startNote: String?

    /// Loads the saved state (see `PluginState.restored`).
    /// - Throws: `PluginError` (`io`) when the state file is damaged or from a newer brickctl.
    init(stateFile: String, referencesFile: String) throws(PluginError) {
        self.stateFile = StateFile(path: stateFile)
        self.referencesFile = StateFile(path: referencesFile)
        let saved = try self.stateFile.load()
        let restored = PluginState.restored(
            saved: saved, references: FileManager.default.contents(atPath: referencesFile), boot: StateFile.bootID())
        state = Mutex(restored.state)
        startNote = restored.note
    }

    /// A copy of the state (for Get, List, status).
    var snapshot: PluginState { state.withLock { $0 } }

    /// Applies `change` and saves what it changed, under the state lock (a write of a small file:
    /// the lock is never held across a mount or a network call). When `change` throws or a save
    /// fails, nothing changes.
    @discardableResult
    func update<T>(_ change: (inout PluginState) throws(PluginError) -> T) throws(PluginError) -> T {
        try state.withLock { (current: inout PluginState) throws(PluginError) -> T in
            var next = current
            let result = try change(&next)
            if next.volumes != current.volumes || next.bootID != current.bootID {
                try stateFile.save(next.json(), durable: true)
            }
            if next.references != current.references {
                try referencesFile.save(next.referencesJSON(), durable: false)
            }
            current = next
            return result
        }
    }
}
