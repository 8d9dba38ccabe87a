import ArgumentParser
import Foundation

/// What `status` and `exporter serve` read of the site: the options both take, and the
/// `SiteReader` they make.
struct SiteReadOptions: ParsableArguments {
    @Flag(help: "Do not ask docker about the Swarm and its stacks.") var noSwarm = false
    @Option(help: "The plugin's configuration file (default: /etc/brickctl/plugin.json).") var pluginConfig: String?

    /// A configuration file named on the command line must exist: a mistyped path would otherwise
    /// read as "no volume plugin on this host" and the site as healthy. (The default path may be
    /// absent: a host without the plugin.)
    mutating func validate() throws {
        if let pluginConfig, !FileManager.default.fileExists(atPath: pluginConfig) {
            throw ValidationError(
                "--plugin-config \(pluginConfig): no such file; give the file `brickctl plugin install` wrote (default /etc/brickctl/plugin.json), or leave the option out"
            )
        }
    }

    /// A reader of what these options ask for.
    var reader: SiteReader {
        var reader = SiteReader()
        reader.swarm = !noSwarm
        reader.pluginConfigPath = pluginConfig
        return reader
    }
}
