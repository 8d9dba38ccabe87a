import ArgumentParser

/// `--timeout` of the backup commands that run restic for long (`backup create`, `backup restore`).
struct ResticTimeoutOption: ParsableArguments {
    @Option(help: "Seconds restic may take.")
    var timeout = 6 * 3600

    var seconds: Double { Double(timeout) }
}
