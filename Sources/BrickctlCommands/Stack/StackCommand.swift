public import ArgumentParser
import Foundation
import HostIO
public import Stack

extension LoadBalancing: ExpressibleByArgument {}
extension ImageSet: ExpressibleByArgument {}
extension SharedContent: ExpressibleByArgument {}

/// `brickctl stack wordpress|deploy|rm`: the recipe's WordPress + MariaDB stack on the Swarm.
struct StackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "Render, deploy and remove the WordPress + MariaDB stack on a Swarm.",
        subcommands: [WordPress.self, Deploy.self, Remove.self, Restore.self]
    )

    /// The options that shape the stack (the same for `wordpress` and `deploy`).
    struct Shape: ParsableArguments {
        @Option(help: "The stack's name (prefixes its services, secrets and volumes).")
        var name = "wp"

        @Option(help: "WordPress replicas (one per wordpress-labelled node).")
        var replicas = 2

        @Option(
            help:
                "proxy: HAProxy in host mode on the manager, sticky sessions, no IPVS needed; mesh: Swarm's routing mesh (needs IPVS)."
        )
        var lb = LoadBalancing.proxy

        @Option(help: "official: Docker Hub's images; lab: the ones scripts/images builds.")
        var images = ImageSet.official

        @Option(help: "The Docker volume driver of wp-content and the database's data.")
        var volumeDriver = "brickctl"

        @Option(
            help:
                "wp-content: themes, plugins and uploads shared (admin-page installs reach every replica); uploads: only the media shared, themes and plugins from the image on each node's disk (faster pages on Gluster)."
        )
        var share = SharedContent.wpContent

        @Option(help: "The port browsers use.")
        var port = 80

        @Option(
            help: ArgumentHelp(
                "How often the backup service dumps the database onto the NAME_backups volume (90s, 15m, 1h).",
                valueName: "interval"))
        var backupEvery = "15m"

        @Option(help: "How many dumps the backup service keeps (older ones are removed after each good dump).")
        var backupKeep = 96

        @Option(
            help: ArgumentHelp(
                "The most CPU the backup service's dump may use (0.1: a tenth of one CPU; 0: no limit). Raise it for a large database: a dump must end within --backup-every.",
                valueName: "cpus"))
        var backupCpus = BackupSchedule.defaultCPUs

        @Flag(help: "No backup service (nothing copies the database off its node).")
        var noBackup = false

        func stack(cookieKey: String) throws -> WordPressStack {
            var stack = WordPressStack()
            stack.name = name
            stack.replicas = replicas
            stack.loadBalancing = lb
            stack.images = images
            stack.volumeDriver = volumeDriver
            stack.share = share
            stack.port = port
            stack.cookieKey = cookieKey
            if noBackup {
                stack.backup = nil
            } else {
                guard let every = BackupSchedule.seconds(of: backupEvery) else {
                    throw ValidationError("--backup-every \(backupEvery): give a number with s, m, h or d (e.g. 15m)")
                }
                let schedule = BackupSchedule(
                    everySeconds: every, keep: backupKeep, cpus: backupCpus == 0 ? nil : backupCpus)
                switch schedule.problem {
                case .interval:
                    throw ValidationError("--backup-every \(backupEvery): give 10s to 7d")
                case .keep:
                    throw ValidationError("--backup-keep \(backupKeep): keep 1 to 100000 dumps")
                case .cpus:
                    throw ValidationError("--backup-cpus \(backupCpus): give 0.01 to 1024 CPUs, or 0 for no limit")
                case nil:
                    stack.backup = schedule
                }
            }
            do {
                try stack.validate()
            } catch {
                throw ValidationError(error.commandLineText)
            }
            return stack
        }
    }

    struct WordPress: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wordpress",
            abstract:
                "Print the stack file (Compose 3.8), or write it and its config files (haproxy.cfg, backup.sh) with --out."
        )

        @OptionGroup var shape: Shape

        @Option(help: "Write the stack file here (and haproxy.cfg beside it) instead of printing it.")
        var out: String?

        func run() throws {
            let stack = try shape.stack(cookieKey: StackFiles.randomSecret())
            guard let out else {
                print(try stack.yaml(), terminator: "")
                if !stack.configFiles.isEmpty {
                    FileHandle.standardError.write(
                        Data(
                            "brickctl: the stack reads \(stack.configFiles.keys.sorted().joined(separator: " and ")) from the stack file's folder: use --out FILE to write them all\n"
                                .utf8))
                }
                return
            }
            let files = StackFiles(stackFile: out)
            try files.write(stack)
            let configs = stack.configFiles.keys.sorted().map { "\(files.folder)/\($0)" }
            print("wrote \(([files.stackFile] + configs).joined(separator: ", "))")
            print("secrets it reads (create them first): \(stack.secretNames.values.sorted().joined(separator: ", "))")
        }
    }

    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deploy",
            abstract: "Create the secrets if missing, deploy the stack, wait until every task runs, show where.",
            discussion: "Safe to run twice: secrets are kept, the same options give the same stack.")

        @OptionGroup var shape: Shape

        @Option(help: "Where the stack file, haproxy.cfg and the cookie key are kept.")
        var dir: String?

        @Option(help: "Seconds to wait for every task to run.")
        var timeout = 300

        @Flag(help: "Deploy even when `brickctl swarm check` finds a problem.")
        var skipCheck = false

        func run() async throws {
            let docker = DockerCLI()
            let nodes = try docker.nodes()
            let check = SwarmCheck(nodes: nodes)
            for finding in check.findings {
                print(finding.commandLineText)
            }
            if !check.passed && !skipCheck {
                throw CommandFailure("the Swarm is not ready for the stack: run the fixes above (or pass --skip-check)")
            }
            let files = StackFiles(stackFile: "\(dir ?? "/var/lib/brickctl/stacks/\(shape.name)")/stack.yml")
            let stack = try shape.stack(cookieKey: try files.cookieKey())
            try files.write(stack)

            for secret in stack.secretNames.values.sorted() {
                if try docker.secretExists(secret) {
                    print("secret \(secret): exists, kept")
                } else {
                    try docker.check(
                        ["secret", "create", secret, "-"],
                        input: StackFiles.randomSecret(length: StackFiles.secretLength))
                    print("secret \(secret): created (\(StackFiles.secretLength) random characters)")
                }
            }
            let started = ContinuousClock.now
            let resolve = stack.images == .lab ? "never" : "always"
            let deployOut = try docker.check(
                ["stack", "deploy", "--prune", "--resolve-image", resolve, "-c", files.stackFile, stack.name],
                timeout: 180)
            print(deployOut.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))

            let replicas = stack.composeFile.services.mapValues(\.deploy.replicas)
            let progress = try await StackWait.untilRunning(
                docker: docker, stack: stack.name, replicas: replicas, seconds: timeout)
            let elapsed = ContinuousClock.now - started
            print(
                "all \(progress.services.map(\.wanted).reduce(0, +)) tasks running after \(elapsed.components.seconds) s"
            )
            try StackWait.showTasks(docker: docker, stack: stack.name)

            let servingNodes: [SwarmNode]
            if stack.loadBalancing == .proxy {
                servingNodes = nodes.filter { $0.role == "manager" && $0.isReady }
            } else {
                servingNodes = nodes.filter(\.isReady)
            }
            let port = stack.port == 80 ? "" : ":\(stack.port)"
            for node in servingNodes.sorted(by: { $0.hostname < $1.hostname }) {
                print("url: http://\(node.address.isEmpty ? node.hostname : node.address)\(port)/  (\(node.hostname))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Remove the stack (its volumes, hence the data, stay) and wait until its tasks are gone.")

        @Option(help: "The stack's name.")
        var name = "wp"

        @Flag(help: "Also remove its secrets (the database passwords: the data becomes unreadable for a new stack).")
        var secrets = false

        @Option(help: "Seconds to wait for its services and networks to go.")
        var timeout = 120

        func run() async throws {
            let docker = DockerCLI()
            let filter = ["--filter", "label=com.docker.stack.namespace=\(name)"]
            let services = try docker.check(["service", "ls", "-q"] + filter)
            if services.isEmpty {
                print("stack \(name): no services, nothing to remove")
            } else {
                try docker.check(["stack", "rm", name])
            }
            try await StackWait.poll("stack \(name)'s services, tasks and networks to go", seconds: timeout) {
                let left =
                    try docker.check(["service", "ls", "-q"] + filter) + docker.check(["network", "ls", "-q"] + filter)
                return left.isEmpty ? true : nil
            }
            print("stack \(name): removed (its volumes keep the data: docker volume ls)")
            if secrets {
                var stack = WordPressStack()
                stack.name = name
                for secret in stack.secretNames.values.sorted() where try docker.secretExists(secret) {
                    try docker.check(["secret", "rm", secret])
                    print("secret \(secret): removed")
                }
            }
        }
    }
}
