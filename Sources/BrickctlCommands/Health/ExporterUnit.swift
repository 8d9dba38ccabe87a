/// The systemd unit of the exporter (also in scripts/systemd/brickctl-exporter.service).
enum ExporterUnit {
    static let name = "brickctl-exporter.service"

    /// - Parameter arguments: what follows `exporter serve` (each one a separate word, none with a space).
    static func text(binary: String, arguments: [String]) -> String {
        """
        [Unit]
        Description=brickctl Prometheus exporter (pool, volumes, bricks, plugin, Swarm, backups, certificates)
        Documentation=https://github.com/brickctl/brickctl
        After=network-online.target glusterd.service brickctl-plugin.service docker.service
        Wants=network-online.target

        [Service]
        Type=simple
        ExecStart=\(([binary, "exporter", "serve"] + arguments).joined(separator: " "))
        Restart=always
        RestartSec=2

        [Install]
        WantedBy=multi-user.target

        """
    }
}
