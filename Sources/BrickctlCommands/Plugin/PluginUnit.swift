/// The systemd unit of the plugin (also in scripts/systemd/brickctl-plugin.service).
enum PluginUnit {
    static let name = "brickctl-plugin.service"

    static func text(binary: String, config: String) -> String {
        """
        [Unit]
        Description=brickctl Docker volume plugin (GlusterFS shared volumes, local volumes)
        Documentation=https://github.com/brickctl/brickctl
        After=network-online.target glusterd.service brickctl-activate.service
        Wants=network-online.target
        Before=docker.service

        [Service]
        Type=simple
        ExecStart=\(binary) plugin serve --config \(config)
        Restart=always
        RestartSec=1
        # Only the plugin process: the glusterfs FUSE clients it started serve running containers
        # and must outlive a restart or an upgrade of the plugin.
        KillMode=process

        [Install]
        WantedBy=multi-user.target
        RequiredBy=docker.service

        """
    }
}
