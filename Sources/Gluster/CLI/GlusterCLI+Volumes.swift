import Foundation
import HostIO

extension GlusterCLI {
    /// Every volume of the pool (empty when there is none).
    ///
    /// Runs `gluster volume info`.
    /// - Throws: `GlusterCLIError`.
    public func volumes() async throws(GlusterCLIError) -> [VolumeInfo] {
        try await decode(["volume", "info"], subject: nil, VolumeInfo.list)
    }

    /// The volume called `name`; nil when there is none.
    ///
    /// Runs `gluster volume info NAME`.
    /// - Throws: `GlusterCLIError`.
    public func volume(_ name: String) async throws(GlusterCLIError) -> VolumeInfo? {
        do {
            return try await decode(["volume", "info", name], subject: name, VolumeInfo.list).first { $0.name == name }
        } catch .refused(let refusal, _) where refusal.kind == .noSuchVolume {
            return nil
        }
    }

    /// Creates the volume `layout` describes and returns its UUID.
    ///
    /// Runs `gluster volume create NAME <layout.createArguments> [force]`. `--mode=script`
    /// answers yes to the replica-2 split-brain question: show `layout.warnings` first.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `brickOnRootFilesystem`,
    ///   `brickAlreadyUsed`, `volumeExists`, `hostNotInPool`.
    @discardableResult
    public func create(layout: VolumeLayout, force: Bool = false) async throws(GlusterCLIError) -> String? {
        try await retrying(.whilePeersConnect(limit: 30)) { () async throws(GlusterCLIError) in
            try await run(
                ["volume", "create", layout.name] + layout.createArguments + (force ? ["force"] : []),
                subject: layout.name
            ).volumeID
        }
    }

    /// Starts volume `name`; `force` also restarts bricks (and self-heal daemons) that died.
    ///
    /// Runs `gluster volume start NAME [force]`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `alreadyStarted` (not with force).
    public func start(_ name: String, force: Bool = false) async throws(GlusterCLIError) {
        try await run(["volume", "start", name] + (force ? ["force"] : []), subject: name)
    }

    /// Stops volume `name`: its clients lose access.
    ///
    /// Runs `gluster volume stop NAME`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `volumeNotStarted`.
    public func stop(_ name: String) async throws(GlusterCLIError) {
        try await run(["volume", "stop", name], subject: name)
    }

    /// Deletes the (stopped) volume `name`. Its bricks keep their data and attributes.
    ///
    /// Runs `gluster volume delete NAME`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `volumeStarted`, `noSuchVolume`.
    public func delete(_ name: String) async throws(GlusterCLIError) {
        try await run(["volume", "delete", name], subject: name)
    }

    /// Sets option `key` of volume `name`.
    ///
    /// Runs `gluster volume set NAME KEY VALUE`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `unknownOption`.
    public func set(_ name: String, _ key: String, _ value: String) async throws(GlusterCLIError) {
        try await run(["volume", "set", name, key, value], subject: name)
    }

    /// Returns option `key` of volume `name` to its default.
    ///
    /// Runs `gluster volume reset NAME KEY`.
    /// - Throws: `GlusterCLIError`.
    public func reset(_ name: String, _ key: String) async throws(GlusterCLIError) {
        try await run(["volume", "reset", name, key], subject: name)
    }

    /// Which brick and self-heal processes of the started volume `name` run; `detail` adds each
    /// brick's filesystem figures and leaves out the daemons.
    ///
    /// Runs `gluster volume status NAME [detail]`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `volumeNotStarted`.
    public func status(_ name: String, detail: Bool = false) async throws(GlusterCLIError) -> VolumeStatus {
        let arguments = ["volume", "status", name] + (detail ? ["detail"] : [])
        guard
            let status = try await decode(arguments, subject: name, VolumeStatus.list).first(where: { $0.name == name })
        else {
            throw .unreadable(command: display(arguments), GlusterXMLError("no status for volume \(name)", in: ""))
        }
        return status
    }

    /// What self-heal still has to repair on each brick of volume `name`; `summary` gives counts
    /// (with split-brain) instead of the entries.
    ///
    /// Runs `gluster volume heal NAME info [summary]` (which runs glfsheal).
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `healUnavailable` when the volume
    ///   is stopped.
    public func healInfo(_ name: String, summary: Bool = false) async throws(GlusterCLIError) -> HealInfo {
        try await decode(healInfoArguments(name, summary: summary), subject: name, HealInfo.decode)
    }

    /// Asks the self-heal daemons to heal volume `name` now: the pending entries, or with `full`
    /// a crawl of every file.
    ///
    /// Runs `gluster volume heal NAME [full]` (plain-text answer, even with `--xml`). Right after
    /// a start the self-heal daemons refuse ("brick op 'Heal' failed") for a few seconds: that is
    /// retried for up to `busyRetry` seconds.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `selfHealNotReady`.
    public func heal(_ name: String, full: Bool = false) async throws(GlusterCLIError) {
        try await retrying(.whileSelfHealStarts(limit: busyRetry)) { () async throws(GlusterCLIError) in
            try await runText(healArguments(name, full: full), subject: name)
        }
    }

    func healInfoArguments(_ name: String, summary: Bool) -> [String] {
        ["volume", "heal", name, "info"] + (summary ? ["summary"] : [])
    }

    func healArguments(_ name: String, full: Bool) -> [String] {
        ["volume", "heal", name] + (full ? ["full"] : [])
    }

    private func decode<T>(
        _ arguments: [String], subject: String?, _ decoder: (CLIEnvelope) throws(GlusterXMLError) -> T
    ) async throws(GlusterCLIError) -> T {
        let envelope = try await run(arguments, subject: subject)
        return try decoded(envelope, of: arguments, decoder)
    }

    /// glusterd's answer to `arguments` read by `decoder`; an answer it cannot read is `.unreadable`.
    func decoded<T>(
        _ envelope: CLIEnvelope, of arguments: [String], _ decoder: (CLIEnvelope) throws(GlusterXMLError) -> T
    ) throws(GlusterCLIError) -> T {
        do {
            return try decoder(envelope)
        } catch {
            throw .unreadable(command: display(arguments), error)
        }
    }
}
