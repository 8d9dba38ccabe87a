import ArgumentParser
import Foundation
import Health
import HostIO

extension ExporterCommand {
    /// `brickctl exporter install`: the systemd unit, written and enabled.
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Write the systemd unit brickctl-exporter.service (from the flags) and enable it.",
            discussion:
                "The unit runs `brickctl exporter serve` with the flags given here, after glusterd, the plugin and docker; run it again with other flags to change them (the unit is rewritten and restarted)."
        )

        @Option(help: "Where the exporter listens: ADDR:PORT, :PORT or [IPv6]:PORT.")
        var listen = ":\(ListenAddress.defaultPort)"
        @Option(help: "Seconds a reading serves scrapes (Prometheus's scrape interval).") var interval: Double = 15
        @Flag(help: "The exporter does not ask docker about the Swarm and its stacks.") var noSwarm = false
        @Option(help: "The plugin's configuration file the exporter reads.") var pluginConfig: String?
        @Flag(
            help:
                "The exporter serves HTTPS with this host's certificate from the pool CA (see `exporter serve --tls`).")
        var tls = false
        @Option(help: "The brickctl binary the unit runs.") var binary = "/usr/local/bin/brickctl"
        @Option(name: .customLong("unit-dir"), help: "Where systemd units go.") var unitDirectory =
            "/etc/systemd/system"
        @Flag(help: "Write the file only; do not call systemctl.") var noEnable = false
        @Flag(help: "Print the unit; write nothing.") var dryRun = false

        func validate() throws {
            guard ListenAddress(parsing: listen) != nil else {
                throw ValidationError("--listen \(listen): give ADDR:PORT, :PORT or [IPv6]:PORT with a port 1-65535")
            }
            guard interval > 0 else { throw ValidationError("--interval must be > 0 seconds") }
            for (flag, value) in [("--binary", binary), ("--plugin-config", pluginConfig ?? "")]
            where value.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "\\" || $0 == "%" }) {
                throw ValidationError("\(flag) \(value): give a path without spaces, quotes, backslashes or %")
            }
        }

        var arguments: [String] {
            var arguments = ["--listen", listen, "--interval", ListenAddress.plain(interval)]
            if noSwarm { arguments.append("--no-swarm") }
            if let pluginConfig { arguments += ["--plugin-config", pluginConfig] }
            if tls { arguments.append("--tls") }
            return arguments
        }

        func run() throws {
            let unit = ExporterUnit.text(binary: binary, arguments: arguments)
            let unitPath = "\(unitDirectory)/\(ExporterUnit.name)"
            if dryRun {
                print("would write \(unitPath):\n\(unit)", terminator: "")
                return
            }
            let unchanged = (try? String(contentsOfFile: unitPath, encoding: .utf8)) == unit
            if unchanged {
                print("\(unitPath) is up to date")
            } else {
                try FileManager.default.createDirectory(atPath: unitDirectory, withIntermediateDirectories: true)
                try AtomicFile.write(Data(unit.utf8), to: unitPath, mode: 0o644)
                print("wrote \(unitPath)")
            }
            guard !noEnable else { return }
            var steps = [["daemon-reload"], ["enable", "--now", ExporterUnit.name]]
            // A rewritten unit of a running exporter takes effect only on a restart.
            if !unchanged { steps.append(["try-restart", ExporterUnit.name]) }
            try SystemdUnitEnabling.run(
                steps, hint: "the unit is written: enable it by hand, or rerun with --no-enable")
            print("enabled and started \(ExporterUnit.name) (GET \(tls ? "https" : "http")://\(listen)/metrics)")
        }
    }

    /// `brickctl exporter uninstall`: the unit disabled and removed.
    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "uninstall", abstract: "Disable and remove brickctl-exporter.service.")

        @OptionGroup var removal: SystemdUnitRemoval

        func run() throws {
            try removal.run(unit: ExporterUnit.name)
        }
    }
}

extension ListenAddress {
    /// 15 → "15", 0.5 → "0.5".
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}
