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
///
/// `plugin status` reads the same files the same way (`PluginStore.saved(_:)`), without a store.
public final class PluginStore: Sendable {
    private let state: Mutex<PluginState>
    private let stateFile: StateFile
    private let referencesFile: StateFile
    /// Something to log about the state found at start (a damaged references file), or nil.
    public let startNote: String?

    /// Makes the state directory (mode 0700) if need be and loads the saved state (see `saved(_:)`).
    /// - Throws: `PluginError` (`io`) when the directory cannot be made, or the state file is
    ///   damaged or from a newer brickctl.
    public init(_ configuration: PluginConfiguration) throws(PluginError) {
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.stateDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw PluginError(.io, "cannot make the state directory \(configuration.stateDirectory)", cause: "\(error)")
        }
        stateFile = StateFile(path: configuration.stateFile)
        referencesFile = StateFile(path: configuration.referencesFile)
        let restored = try Self.saved(configuration)
        state = Mutex(restored.state)
        startNote = restored.note
    }

    /// The state a plugin would start from now: the volumes of the state file (none without
    /// one), the references of this boot (`/proc/sys/kernel/random/boot_id`), see
    /// `PluginState.restored`. Reads only.
    /// - Throws: `PluginError` (`io`) when the state file is damaged or from a newer brickctl.
    public static func saved(_ configuration: PluginConfiguration) throws(PluginError) -> (
        state: PluginState, note: String?
    ) {
        PluginState.restored(
            saved: try StateFile(path: configuration.stateFile).load(),
            references: FileManager.default.contents(atPath: configuration.referencesFile), boot: StateFile.bootID())
    }

    /// A copy of the state (for Get, List, status).
    public var snapshot: PluginState { state.withLock { $0 } }

    /// Applies `change` and saves what it changed, under the state lock (a write of a small file:
    /// the lock is never held across a mount or a network call). Volume changes are saved durably
    /// (fsync), reference changes not (see above). When `change` throws or a save fails, nothing
    /// changes.
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
