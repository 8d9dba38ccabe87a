import HostIO

/// `brickctl plugin|exporter install`: the systemctl calls that enable a unit just written.
enum SystemdUnitEnabling {
    /// Runs `systemctl ARGS` for each of `steps` in order.
    /// - Throws: `CommandFailure` naming the step that failed, followed by `hint` (what is already
    ///   written, and what to do instead).
    static func run(_ steps: [[String]], hint: String) throws {
        for argv in steps {
            let out = try Command("systemctl", argv).run(timeout: 120)
            guard out.succeeded else {
                throw CommandFailure("systemctl \(argv.joined(separator: " ")) failed: \(out.message); \(hint)")
            }
        }
    }
}
