import ArgumentParser
import Foundation
import Glibc
import HostIO
import Logging
import VolumePlugin

/// `brickctl plugin serve|status|install|uninstall`: the Docker volume plugin.
struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "The Docker volume plugin: Gluster-backed shared volumes and local volumes for databases.",
        subcommands: [Serve.self, Status.self, Install.self, Uninstall.self]
    )

    /// Flags shared by serve and status: where the configuration and state are.
    struct Settings: ParsableArguments {
        @Option(help: "Configuration file (default /etc/brickctl/plugin.json when it exists).")
        var config: String?
        @Option(help: "Gluster servers, comma-separated; the first is asked first, the others are failover.")
        var servers: String?
        @Option(help: "The Gluster volume for shared volumes without -o volume=NAME.")
        var volume: String?
        @Option(
            name: .customLong("state-dir"),
            help: "Where the plugin keeps its state and FUSE mounts (default /var/lib/brickctl/plugin).")
        var stateDirectory: String?
        @Option(help: "The unix socket Docker finds the plugin by (default /run/docker/plugins/brickctl.sock).")
        var socket: String?
        @Option(
            name: .customLong("local-root"),
            help: "Folder for -o type=local volumes, on a disk `brickctl prepare` made.")
        var localRoot: String?
        @Option(help: "This host's name in volume markers (default: the hostname).")
        var host: String?

        /// - Parameter newFile: `install` writes the file: a missing one is no error there.
        func resolved(newFile: Bool = false) throws -> PluginConfiguration {
            let existing = config.map { FileManager.default.fileExists(atPath: $0) } ?? false
            var configuration = try PluginConfiguration.load(path: newFile && !existing ? nil : config)
            if let servers {
                configuration.servers = commaList(servers)
                guard !configuration.servers.isEmpty else {
                    throw CommandFailure(
                        "--servers \"\(servers)\" names no server: give the Gluster servers as HOST1,HOST2", exitCode: 2
                    )
                }
            }
            if let volume { configuration.volume = volume }
            if let stateDirectory { configuration.stateDirectory = stateDirectory }
            if let socket { configuration.socket = socket }
            if let localRoot { configuration.localRoot = localRoot }
            if let host { configuration.host = host }
            return configuration
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve Docker's volume plugin protocol on a unix socket (root only; no TCP).",
            discussion: """
                docker volume create -d brickctl [-o uid=33 -o gid=33] [-o mode=0750] [-o size=10G] NAME
                    a shared volume: a directory of the Gluster volume (-o volume=NAME or --volume)
                docker volume create -d brickctl -o type=local NAME
                    a local volume on the disk --local-root is on (made by `brickctl prepare`)
                -o on-remove=delete makes `docker volume rm` delete the files; by default they stay.
                FUSE mounts outlive the plugin: restarting it never pulls a mount from a container.
                """)

        @OptionGroup var settings: Settings

        func run() async throws {
            guard geteuid() == 0 else {
                throw CommandFailure("the plugin mounts file systems and serves a root-only socket: run it as root")
            }
            let configuration = try settings.resolved()
            // Binding would silently take the socket over from a running plugin.
            if PluginStatus.listening(configuration.socket) {
                throw CommandFailure(
                    "a plugin is already serving on \(configuration.socket): stop it first, or pass --socket PATH (see `brickctl plugin status`)"
                )
            }
            let pool = BlockingPool()
            let logger = Logger.plugin()
            let driver = try VolumeDriver(configuration: configuration, pool: pool, logger: logger)
            let known = driver.snapshot.volumes.count
            logger.info(
                "listening on \(configuration.socket); servers \(configuration.servers.isEmpty ? "(none)" : configuration.servers.joined(separator: ",")); default volume \(configuration.volume ?? "(none)"); \(known) known volume\(known == 1 ? "" : "s"); state \(configuration.stateDirectory)"
            )
            if let note = driver.startNote { logger.info("\(note)") }
            try await PluginServer(driver: driver).run()
            await pool.shutdown()
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract:
                "Servers, FUSE mounts and their health, and every volume with its holders (from the plugin's state).")

        @OptionGroup var settings: Settings
        @OptionGroup var output: JSONFlag

        func run() throws {
            let configuration = try settings.resolved()
            let report = try PluginStatus.read(configuration)
            if output.json {
                print(try JSONOutput.encode(report))
                return
            }
            print("socket   \(report.socket) (\(report.socketListening ? "listening" : "not listening"))")
            print("servers  \(report.servers.isEmpty ? "-" : report.servers.joined(separator: ", "))")
            print("volume   \(report.defaultVolume ?? "-")")
            print("state    \(report.stateDirectory)")
            print("")
            var mounts = TextTable(["GLUSTER VOLUME", "MOUNT", "HEALTH"])
            for mount in report.mounts { mounts.add([mount.glusterVolume, mount.mountPoint, mount.health]) }
            print(mounts.render())
            var volumes = TextTable(["NAME", "TYPE", "DIRECTORY", "OPTIONS", "MOUNTED BY"])
            for v in report.volumes {
                let holders = v.holders.map { "\($0.key.prefix(12))×\($0.value)" }.sorted().joined(separator: " ")
                volumes.add([v.name, v.type, v.directory, v.options, holders.isEmpty ? "-" : holders])
            }
            print(volumes.render(), terminator: "")
        }
    }

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract:
                "Write /etc/brickctl/plugin.json (from the flags) and the systemd unit brickctl-plugin.service, and enable it.",
            discussion:
                "The unit starts after glusterd and network-online, before docker.service, with KillMode=process: stopping or restarting the plugin never kills the glusterfs clients under running containers."
        )

        @OptionGroup var settings: Settings
        @Option(help: "The brickctl binary the unit runs.") var binary = "/usr/local/bin/brickctl"
        @Option(name: .customLong("unit-dir"), help: "Where systemd units go.") var unitDirectory =
            "/etc/systemd/system"
        @Flag(help: "Write the files only; do not call systemctl.") var noEnable = false

        func run() async throws {
            let configuration = try settings.resolved(newFile: true)
            let configPath = settings.config ?? PluginConfiguration.defaultPath
            try FileManager.default.createDirectory(
                atPath: (configPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try AtomicFile.write(try encoder.encode(configuration) + Data("\n".utf8), to: configPath, mode: 0o644)
            let unit = PluginUnit.text(binary: binary, config: configPath)
            let unitPath = "\(unitDirectory)/\(PluginUnit.name)"
            try AtomicFile.write(Data(unit.utf8), to: unitPath, mode: 0o644)
            print("wrote \(configPath)")
            print("wrote \(unitPath)")
            if !noEnable {
                try SystemdUnitEnabling.run(
                    [["daemon-reload"], ["enable", "--now", PluginUnit.name]],
                    hint: "the files are written: enable the unit by hand, or rerun with --no-enable")
                print("enabled and started \(PluginUnit.name)")
                await PluginCommand.reportDockerPresence(socket: configuration.socket)
            }
        }
    }

    /// After `install` started the unit: whether dockerd lists the driver (the plugin tells it
    /// within a second of listening), waiting at most 40 s; a line either way, never a failure
    /// (dockerd may start later: the plugin tells it then).
    static func reportDockerPresence(socket: String) async {
        guard let driver = DockerPresence.driverName(socket: socket) else { return }
        let docker = DockerCLI()
        var last = DockerPresence.dockerdUnreachable("not asked yet")
        // Asked once a second; docker itself failing to run ends the wait at once.
        _ = try? await StackWait.poll("dockerd to list the volume driver \(driver)", seconds: 40) { () -> Bool? in
            guard let out = try? docker.run(["info", "--format", "{{json .Plugins.Volume}}"], timeout: 20) else {
                return true
            }
            last = DockerPresence(status: out.status, stdout: out.stdout, stderr: out.stderr, driver: driver)
            return last == .listed ? true : nil
        }
        switch last {
        case .listed:
            print("dockerd lists the volume driver \(driver): Swarm places tasks that need it on this node")
        case .unlisted:
            print(
                "dockerd does not list the volume driver \(driver) yet: see `journalctl -u \(PluginUnit.name)` (the plugin retries every 30 s)"
            )
        case .dockerdUnreachable(let why):
            print("dockerd does not answer (\(why)): the plugin tells it about the driver once it runs")
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "uninstall",
            abstract: "Disable and remove brickctl-plugin.service (the configuration, state and volumes stay).")

        @OptionGroup var removal: SystemdUnitRemoval

        func run() throws {
            try removal.run(unit: PluginUnit.name)
        }
    }
}
