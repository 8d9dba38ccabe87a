import Stack

extension SwarmCheck.Finding {
    /// The command that fixes it (argv; for people, joined with spaces).
    var fix: [String] {
        switch remedy {
        case .removeNode(let node): return ["docker", "node", "rm", "--force", node]
        case .activate(let node): return ["docker", "node", "update", "--availability", "active", node]
        case .label(let node, let label, let remove):
            return ["brickctl", "swarm", "label", node ?? "NODE", "--\(label.rawValue)"] + (remove ? ["--remove"] : [])
        }
    }

    /// `severity: message` and the fix on the next line, as `swarm check` and `stack deploy` print it.
    var commandLineText: String {
        "\(severity): \(message)\n  fix: \(fix.joined(separator: " "))"
    }

    /// The finding in `swarm check --json`.
    struct JSON: Encodable {
        var severity: SwarmCheck.Finding.Severity
        var message: String
        var fix: [String]
    }

    var json: JSON { JSON(severity: severity, message: message, fix: fix) }
}
