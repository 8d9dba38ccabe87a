import ArgumentParser

/// `--server` of the commands that mount a stack's brickctl volumes here with the FUSE client
/// (`backup create`, `stack restore`).
struct GlusterMountServerOption: ParsableArguments {
    @Option(help: "A Gluster server to mount --volume from.")
    var server = "localhost"
}
