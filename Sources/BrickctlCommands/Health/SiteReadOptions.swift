import ArgumentParser

/// What `status` and `exporter serve` read of the site: the options both take, and the
/// `SiteReader` they make.
struct SiteReadOptions: ParsableArguments {
    @Flag(help: "Do not ask docker about the Swarm and its stacks.") var noSwarm = false
    @Option(help: "The plugin's configuration file (default: /etc/brickctl/plugin.json).") var pluginConfig: String?

    /// A reader of what these options ask for.
    var reader: SiteReader {
        var reader = SiteReader()
        reader.swarm = !noSwarm
        reader.pluginConfigPath = pluginConfig
        return reader
    }
}
