import Gluster

extension TLSCommand {
    /// Applies `change` (the domain operation, with its undo) and words a failure for people.
    static func apply(_ change: VolumeTLSChange, to name: String, cli: GlusterCLI) async throws {
        do {
            try await cli.apply(change, to: name)
        } catch let failure as VolumeTLSChangeFailed {
            throw CommandFailure(failure.commandLineMessage)
        }
    }
}

extension VolumeTLSChangeFailed {
    /// "volume gv0: `client.ssl on` failed (...); the 4 options set before it were put back as
    /// they were: nothing changed" — or, when undoing failed too, what is left half-changed.
    var commandLineMessage: String {
        let head = "volume \(volume): `\(failedStep)` failed (\(cause))"
        guard !applied.isEmpty else { return head + "; nothing was changed" }
        let list = applied.map { "`\($0)`" }.joined(separator: ", ")
        guard let undoFailure else {
            return head + "; the options set before it (\(list)) were put back as they were: nothing changed"
        }
        return head
            + "; putting back the options set before it (\(list)) failed too (\(undoFailure)): "
            + "see `gluster volume info \(volume)` and run this command again once glusterd answers"
    }
}
