import ArgumentParser

/// `brickctl volume ...`: Gluster volumes.
struct VolumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volume",
        abstract: "Create, start, stop, inspect and tune Gluster volumes.",
        subcommands: [VolumeDFCommand.self, VolumeProbeCommand.self]
    )
}
