import ArgumentParser

/// `brickctl volume df NAME` (libgfapi statvfs). Placeholder until the gfapi work lands.
struct VolumeDFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "df", abstract: "Space and inodes of a volume, read through libgfapi.")

    @Argument var name: String

    func run() throws {
        throw CommandFailure("volume df is not built yet")
    }
}

/// `brickctl volume probe NAME` (libgfapi write/read/delete). Placeholder until the gfapi work lands.
struct VolumeProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "Write, read back and delete a probe file through libgfapi.")

    @Argument var name: String

    func run() throws {
        throw CommandFailure("volume probe is not built yet")
    }
}
