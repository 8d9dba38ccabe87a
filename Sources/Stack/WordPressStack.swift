import Foundation
internal import Yams

/// The recipe's Swarm stack: WordPress replicas sharing `wp-content` (or only its uploads) on a
/// brickctl (Gluster) volume,
/// MariaDB with its data on the database node's local disk, and, with `proxy` load balancing, an
/// HAProxy in front on the manager.
///
/// Pure: `composeFile` is a value, `yaml` its text (Yams's encoder), `haproxyConfig` the proxy's
/// configuration file. The database passwords are external Docker secrets (`secretNames`): they are
/// never in the file nor in an environment variable, only their paths (`*_FILE`).
public struct WordPressStack: Equatable, Sendable {
    /// The stack's name (`docker stack deploy ... NAME`); prefixes its secrets and config.
    public var name = "wp"
    public var replicas = 2
    public var loadBalancing = LoadBalancing.proxy
    public var images = ImageSet.official
    public var volumeDriver = "brickctl"
    /// What the WordPress replicas share on the volume driver's volume.
    public var share = SharedContent.wpContent
    /// The port browsers use (on the manager with `proxy`, on every node with `mesh`).
    public var port = 80
    /// The key HAProxy hashes its sticky-session cookie values with.
    public var cookieKey = "brickctl"
    /// The `backup` service's schedule; nil: no backup service (`--no-backup`).
    public var backup: BackupSchedule? = BackupSchedule()

    /// Node labels the placement rules read (`brickctl swarm label`).
    public static let databaseLabel = "database"
    public static let wordpressLabel = "wordpress"

    public init() {}

    /// - Throws: `StackError` when an option cannot make a working stack.
    public func validate() throws(StackError) {
        guard (1...64).contains(replicas) else {
            throw StackError(
                "give 1 to 64 WordPress replicas (one per wordpress-labelled node)", setting: .replicas,
                value: "\(replicas)")
        }
        guard (1...65535).contains(port) else {
            throw StackError("give a TCP port, 1 to 65535", setting: .port, value: "\(port)")
        }
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first),
            name.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            }),
            name.utf8.count <= 40
        else {
            throw StackError(
                "a stack name has letters, digits, '-' and '_' (at most 40), starting with a letter or digit",
                setting: .name, value: name)
        }
        guard !volumeDriver.isEmpty, !volumeDriver.contains(where: \.isWhitespace) else {
            throw StackError(
                "give a Docker volume driver name, e.g. brickctl", setting: .volumeDriver, value: "\"\(volumeDriver)\"")
        }
    }

    /// WordPress's authentication keys and salts (wp-config's constants). Every replica must use
    /// the same ones, or a login cookie signed by one replica is refused by the other.
    public static let keyAndSaltNames = [
        "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
        "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
    ]

    /// The name in the stack file of the secret holding key or salt `constant` (`AUTH_KEY` → `wp_auth_key`).
    public static func secretName(ofKey constant: String) -> String { "wp_\(constant.lowercased())" }

    /// The Docker secrets the stack reads, by their name in the stack file → name in the Swarm:
    /// the database passwords and WordPress's keys and salts.
    public var secretNames: [String: String] {
        var names = ["db_password": "\(name)_db_password", "db_root_password": "\(name)_db_root_password"]
        for constant in Self.keyAndSaltNames {
            let secret = Self.secretName(ofKey: constant)
            names[secret] = "\(name)_\(secret)"
        }
        return names
    }

    public var haproxyConfig: HAProxyConfig { HAProxyConfig(cookieKey: cookieKey) }

    /// The replicas' readiness page; with the proxy, a new replica must also reach it.
    public var readiness: WordPressReadiness {
        WordPressReadiness(proxyHost: loadBalancing == .proxy ? "haproxy" : nil)
    }

    /// The file name of the HAProxy configuration, next to the stack file.
    public static let haproxyConfigFile = "haproxy.cfg"

    /// The files the stack file names as Swarm configs, by file name (next to the stack file) →
    /// text: haproxy.cfg with the proxy, backup.sh with the backup service, the replicas' readiness
    /// page and theme pattern cache.
    public var configFiles: [String: String] {
        var files: [String: String] = [:]
        if loadBalancing == .proxy { files[Self.haproxyConfigFile] = haproxyConfig.text }
        files[WordPressReadiness.file] = readiness.text
        files[ThemePatternCache.file] = ThemePatternCache().text
        if backup != nil { files[BackupScript.file] = BackupScript().text }
        return files
    }

    /// The volume of the database dumps (Docker names it `NAME_backups`).
    public static let backupsVolume = "backups"
    /// Where the backup service mounts it.
    public static let backupsTarget = "/backups"
    /// The database the stack's WordPress uses (and the dumps hold).
    public static let databaseName = "wordpress"

    /// The stack as a Compose 3.8 value.
    public var composeFile: ComposeFile {
        let endpointMode = loadBalancing == .proxy ? "dnsrr" : "vip"
        var file = ComposeFile()

        var wordpress = ComposeFile.Service(
            image: images.wordpress,
            deploy: .rolling(
                replicas: replicas, endpointMode: endpointMode,
                placement: .init(
                    constraints: [
                        "node.labels.\(Self.wordpressLabel)==true", "node.labels.\(Self.databaseLabel)!=true",
                    ],
                    max_replicas_per_node: 1),
                updateDelay: "10s"))
        wordpress.environment = [
            "WORDPRESS_DB_HOST": "db",
            "WORDPRESS_DB_NAME": "wordpress",
            "WORDPRESS_DB_USER": "wordpress",
            "WORDPRESS_DB_PASSWORD_FILE": "/run/secrets/db_password",
        ]
        wordpress.secrets = [.readable("db_password")]
        // The image's extra configuration, then the theme pattern cache (issue 20): both images
        // eval WORDPRESS_CONFIG_EXTRA in wp-config, before WordPress loads.
        wordpress.environment?["WORDPRESS_CONFIG_EXTRA"] = [
            images.wordpressConfigExtra, ThemePatternCache().configLine,
        ]
        .compactMap { $0 }.joined(separator: " ")
        // Keys and salts as secrets too: both images read WORDPRESS_<CONSTANT>_FILE at request
        // time (getenv_docker in wp-config-docker.php, the lab image's config-default.php), the
        // file winning over the variable; never the values themselves in the environment.
        for constant in Self.keyAndSaltNames {
            let secret = Self.secretName(ofKey: constant)
            wordpress.environment?["WORDPRESS_\(constant)_FILE"] = "/run/secrets/\(secret)"
            wordpress.secrets?.append(.readable(secret))
        }
        wordpress.volumes = [.init(source: share.volume, target: share.target(in: images))]
        wordpress.networks = ["frontend", "backend"]
        // Ready = logged into the database once (WordPressReadiness): a task is found by the proxy
        // only then. 120 s like the database's own start (its failures in that time do not count).
        wordpress.healthcheck = .every10s(images.wordpressHealthcheck, startPeriod: "120s")
        wordpress.configs = [
            .init(
                source: "wordpress_ready", target: images.wordpressDocumentRoot + WordPressReadiness.path, mode: 0o444),
            .init(source: "theme_patterns", target: ThemePatternCache.path, mode: 0o444),
        ]
        if loadBalancing == .mesh {
            wordpress.ports = [.init(target: 80, published: port, mode: "ingress")]
        }

        var db = ComposeFile.Service(
            image: images.mariadb,
            // Never two servers on one data directory: the old task stops before the new one starts.
            deploy: .rolling(
                replicas: 1, endpointMode: endpointMode,
                placement: .init(constraints: ["node.labels.\(Self.databaseLabel)==true"]), updateDelay: "0s"))
        db.environment = [
            "MARIADB_DATABASE": "wordpress",
            "MARIADB_USER": "wordpress",
            "MARIADB_PASSWORD_FILE": "/run/secrets/db_password",
            "MARIADB_ROOT_PASSWORD_FILE": "/run/secrets/db_root_password",
        ]
        db.secrets = [.readable("db_password"), .readable("db_root_password")]
        db.volumes = [.init(source: "db-data", target: "/var/lib/mysql")]
        db.networks = ["backend"]
        db.healthcheck = .every10s(["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"], startPeriod: "90s")

        file.services = ["wordpress": wordpress, "db": db]
        file.configs = [
            "wordpress_ready": .init(
                name: "\(name)_ready_\(readiness.digest.prefix(12))", file: WordPressReadiness.file),
            "theme_patterns": .init(
                name: "\(name)_patterns_\(ThemePatternCache().digest.prefix(12))", file: ThemePatternCache.file),
        ]

        if loadBalancing == .proxy {
            let config = haproxyConfig
            var haproxy = ComposeFile.Service(
                image: images.haproxy,
                deploy: .init(
                    replicas: 1, endpoint_mode: "dnsrr", placement: .init(constraints: ["node.role==manager"]),
                    update_config: .oneAtATime(delay: "0s", onFailure: "rollback", monitor: "10s"),
                    restart_policy: .always))
            // HAProxy starts as root to drop to the haproxy user of its configuration (both images).
            haproxy.user = "root"
            haproxy.configs = [.init(source: "haproxy_cfg", target: images.haproxyConfigPath, mode: 0o444)]
            haproxy.networks = ["frontend"]
            // Host mode: this node's port, no routing mesh (no IPVS needed).
            haproxy.ports = [.init(target: 80, published: port, mode: "host")]
            file.services["haproxy"] = haproxy
            file.configs?["haproxy_cfg"] = .init(
                name: "\(name)_haproxy_\(config.digest.prefix(12))", file: Self.haproxyConfigFile)
        }

        if let backup {
            file.services["backup"] = backupService(backup)
            let script = BackupScript()
            file.configs = (file.configs ?? [:]).merging(
                ["backup_sh": .init(name: "\(name)_backup_\(script.digest.prefix(12))", file: BackupScript.file)],
                uniquingKeysWith: { $1 })
        }

        // The database's network has no way out; the front network carries the proxy's traffic.
        file.networks = ["frontend": .init(), "backend": .init(internal: true)]
        let isBrickctl = volumeDriver == "brickctl"
        file.volumes = [
            // Shared by every WordPress replica: a directory of the Gluster volume, owned by www-data.
            share.volume: .init(driver: volumeDriver, driver_opts: isBrickctl ? ["uid": "33", "gid": "33"] : [:]),
            // The database node's own disk: never on Gluster.
            "db-data": .init(driver: volumeDriver, driver_opts: isBrickctl ? ["type": "local"] : [:]),
        ]
        if backup != nil {
            // The dumps on the shared volume (Gluster: every brick holds a copy), owned by the
            // images' mysql user (uid/gid 999 in both image sets) that the backup service runs as.
            file.volumes?[Self.backupsVolume] = .init(
                driver: volumeDriver, driver_opts: isBrickctl ? ["uid": "999", "gid": "999"] : [:])
        }
        file.secrets = secretNames.mapValues { ComposeFile.ExternalObject(name: $0) }
        return file
    }

    /// The `backup` service: one task on a WordPress node (never the database node: losing that
    /// node must not take the dumps' writer with it), the database image's `mariadb-dump` and
    /// `zstd` driven by `BackupScript` over the backend network, the dumps on the `backups` volume.
    private func backupService(_ schedule: BackupSchedule) -> ComposeFile.Service {
        var service = ComposeFile.Service(
            image: images.mariadb,
            deploy: .rolling(
                // Nothing connects to it: no virtual IP needed (nor IPVS).
                replicas: 1, endpointMode: "dnsrr",
                placement: .init(constraints: [
                    "node.labels.\(Self.wordpressLabel)==true", "node.labels.\(Self.databaseLabel)!=true",
                ]),
                updateDelay: "0s",
                // The dump competes with the site for the CPU: held to a share of it.
                resources: schedule.cpusText.map { .init(limits: .init(cpus: $0)) }))
        service.entrypoint = ["/bin/sh", BackupScript.path]
        service.command = ["loop"]
        // Without the brickctl driver the volume's owner is unknown: root, as the image starts.
        service.user = volumeDriver == "brickctl" ? "999:999" : nil
        service.environment = [
            "BACKUP_DIR": Self.backupsTarget,
            "BACKUP_EVERY": "\(schedule.everySeconds)",
            "BACKUP_KEEP": "\(schedule.keep)",
            "DB_HOST": "db",
            "DB_NAME": Self.databaseName,
            "DB_USER": "wordpress",
            "DB_PASSWORD_FILE": "/run/secrets/db_password",
        ]
        service.secrets = [.readable("db_password")]
        service.configs = [.init(source: "backup_sh", target: BackupScript.path, mode: 0o555)]
        service.volumes = [.init(source: Self.backupsVolume, target: Self.backupsTarget)]
        service.networks = ["backend"]
        // Unhealthy while the last dump failed (or none for two intervals); the first dump runs at start.
        service.healthcheck = .every10s(["CMD", "/bin/sh", BackupScript.path, "health"], startPeriod: "120s")
        return service
    }

    /// The stack file's text: `composeFile` through Yams's encoder, keys sorted (the same options
    /// give the same bytes, so a second deploy changes nothing).
    /// - Throws: Yams's `EncodingError` (not expected for this value).
    public func yaml() throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = true
        encoder.options.width = -1
        return try encoder.encode(composeFile)
    }
}

/// A stack option that cannot work, and what to give instead.
public struct StackError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A setting of the stack whose value cannot make a working stack (the command layer names its option).
    public enum Setting: String, Sendable {
        case replicas, port, name
        case volumeDriver = "volume driver"
    }

    public var message: String
    /// The setting refused, and the value given.
    public var setting: Setting?
    public var value: String?

    public init(_ message: String, setting: Setting? = nil, value: String? = nil) {
        self.message = message
        self.setting = setting
        self.value = value
    }

    public var description: String {
        setting.map { "\($0.rawValue) \(value ?? ""): \(message)" } ?? message
    }
}

// The stack's rules, the same for every service that uses them.

extension ComposeFile.ObjectReference {
    /// Secret `name` at /run/secrets/`name`, readable by the service's user whoever it is.
    fileprivate static func readable(_ name: String) -> Self { Self(source: name, target: name, mode: 0o444) }
}

extension ComposeFile.Healthcheck {
    /// `test` every 10 s, 5 s to answer, unhealthy after 3 failures; failures in `startPeriod` do not count.
    fileprivate static func every10s(_ test: [String], startPeriod: String) -> Self {
        Self(test: test, interval: "10s", timeout: "5s", retries: 3, start_period: startPeriod)
    }
}

extension ComposeFile.Deploy {
    /// `replicas` tasks updated one at a time (`updateDelay` apart, the old task stopped first),
    /// rolled back one at a time when a new task fails within 30 s, and restarted whatever ended
    /// them: the policy of the stack's WordPress, database and backup services.
    fileprivate static func rolling(
        replicas: Int, endpointMode: String, placement: ComposeFile.Placement, updateDelay: String,
        resources: ComposeFile.Resources? = nil
    ) -> Self {
        Self(
            replicas: replicas, endpoint_mode: endpointMode, placement: placement,
            update_config: .oneAtATime(delay: updateDelay, onFailure: "rollback", monitor: "30s"),
            rollback_config: .rollBackOneAtATime, restart_policy: .always, resources: resources)
    }
}

extension ComposeFile.UpdateConfig {
    /// One task at a time, the old one stopped before the new one starts; `onFailure` when a new
    /// task fails within `monitor`.
    fileprivate static func oneAtATime(delay: String, onFailure: String, monitor: String) -> Self {
        Self(parallelism: 1, delay: delay, failure_action: onFailure, monitor: monitor, order: "stop-first")
    }

    /// A rollback one task at a time, without delay, that pauses when it fails.
    fileprivate static let rollBackOneAtATime = oneAtATime(delay: "0s", onFailure: "pause", monitor: "30s")
}

extension ComposeFile.RestartPolicy {
    /// Restarts a task whatever ended it, 5 s later (each restart judged over 60 s).
    fileprivate static let always = Self(condition: "any", delay: "5s", window: "60s")
}
