extension GlusterCLI {
    /// Applies `change` to volume `name` one option at a time; when a step fails, undoes the steps
    /// already applied (see `VolumeTLSChange.undo`) before it throws, so the volume is left as it
    /// was. Safe to run twice: setting an option to its value changes nothing.
    ///
    /// Runs `gluster volume info NAME`, then `gluster volume set|reset NAME KEY [VALUE]` per step.
    /// - Throws: `GlusterCLIError` when the volume cannot be read (nothing changed);
    ///   `VolumeTLSChangeFailed` when a step failed.
    public func apply(_ change: VolumeTLSChange, to name: String) async throws {
        guard let info = try await volume(name) else {
            throw GlusterCLIError.refused(
                GlusterRefusal.interpret("Volume \(name) does not exist", subject: name),
                command: display(["volume", "info", name]))
        }
        for (index, step) in change.steps.enumerated() {
            do {
                try await perform(step, on: name)
            } catch {
                var undoFailure: GlusterCLIError?
                for undo in change.undo(applied: index, previous: info.options) {
                    do { try await perform(undo, on: name) } catch {
                        undoFailure = error
                        break
                    }
                }
                throw VolumeTLSChangeFailed(
                    volume: name, failedStep: step, cause: error, applied: Array(change.steps.prefix(index)),
                    undoFailure: undoFailure)
            }
        }
    }

    private func perform(_ step: VolumeTLSChange.Step, on name: String) async throws(GlusterCLIError) {
        switch step {
        case .set(let key, let value): try await set(name, key, value)
        case .reset(let key): try await reset(name, key)
        }
    }
}
