public import ArgumentParser
import BlockDevices
import Foundation
import Gluster

/// `brickctl volume ...`: Gluster volumes.
struct VolumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volume",
        abstract: "Create, start, stop, inspect and tune Gluster volumes.",
        subcommands: [
            Create.self, Start.self, Stop.self, Delete.self, Info.self, List.self, Status.self, Heal.self,
            SetOption.self,
            Profile.self, Allow.self, Disallow.self,
            VolumeDFCommand.self, VolumeProbeCommand.self,
            VolumeExpandCommand.self,
        ]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a volume; without bricks, brickctl picks them on the pool's hosts.",
            discussion: """
                Without BRICKs: one replica set on this host and the next hosts of the pool (or one set \
                per --replica hosts of --hosts), each brick at BRICK_ROOT/NAME on a disk `brickctl \
                prepare` made. `force` is never passed to glusterd unless --force is given.

                Only the pool's hosts may mount it: auth.allow is set to their addresses (resolved \
                now, shown), plus the clients of --allow (e.g. Docker hosts that are not peers). \
                Change it later with `brickctl volume allow|disallow NAME ADDR...`; --allow '*' \
                keeps Gluster's default (every address).
                """
        )

        @Argument(help: "The volume's name.")
        var name: String

        @Argument(help: "Bricks as host:/path, used as given (otherwise chosen by convention).")
        var bricks: [String] = []

        @Option(help: "Copies of every file: 2, 3, ... (1 = no replication).")
        var replica: Int = 1

        @Flag(help: "Add one metadata-only arbiter brick per replica set (with --replica 2).")
        var arbiter = false

        @Option(help: "Hosts to put bricks on, comma-separated (default: this host, then the pool).")
        var hosts: String?

        @Option(help: "The brick directory on every host.")
        var brickRoot: String = BrickConvention.firstBrickDirectory

        @Flag(help: "Pass force to glusterd (bricks on the root filesystem, two copies on one host).")
        var force = false

        @Option(help: "Options to apply after creating: web (WordPress/PHP, see `brickctl volume profile`) or default.")
        var profile: VolumeProfile = .default

        @Option(help: "More client addresses or host names that may mount it, comma-separated ('*': every address).")
        var allow: String?

        @Flag(help: "Show the bricks and the gluster command, change nothing.")
        var dryRun = false

        func run() async throws {
            let given = try bricks.map { text -> BrickAddress in
                guard let address = BrickAddress(parsing: text) else {
                    throw CommandFailure("\(text) is not a brick: write host:/absolute/path")
                }
                return address
            }
            let request = VolumeCreation.Request(
                name: name, bricks: given, replica: replica, arbiter: arbiter,
                hosts: hosts.map(commaList),
                brickRoot: brickRoot, force: force, allow: allow.map { [$0] } ?? [], allowOrigin: "--allow",
                profile: profile)
            let creation = VolumeCreation()
            let plan: VolumeCreation.Plan
            let access: VolumeCreation.Access
            do {
                plan = try await creation.plan(request, checkExisting: !dryRun)
                for warning in plan.layout.warnings {
                    FileHandle.standardError.write(Data("warning: \(warning.commandLineText)\n".utf8))
                }
                access = try creation.access(plan)
            } catch {
                throw CommandFailure(error.commandLineText)
            }
            if dryRun {
                print(plan.createCommand)
                print("gluster volume set \(name) \(AuthAllow.key) \(access.allow.value)")
                print("may mount: " + access.sources.map(\.description).joined(separator: ", "))
                return
            }
            try await creation.create(plan)
            print(
                "created volume \(name): \(plan.layout.replicaSets.map { $0.map(\.description).joined(separator: " ") }.joined(separator: " | "))"
            )
            do {
                try await creation.restrictAccess(plan, access)
            } catch {
                throw CommandFailure(
                    "created \(name), but could not restrict who may mount it (\(error.description)): every address may mount it until `brickctl volume allow \(name) \(access.allow.entries.joined(separator: " "))` succeeds"
                )
            }
            print("may mount: " + access.sources.map(\.description).joined(separator: ", "))
            let changes = try await creation.applyProfile(plan)
            if profile != .default { print("profile \(profile.rawValue): \(changes.count) options set") }
            print("start it: brickctl volume start \(name)")
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Start a volume (--force also restarts dead brick processes).")
        @Argument var name: String
        @Flag(help: "Restart brick and self-heal processes that died, even when started.") var force = false

        func run() async throws {
            let cli = GlusterCLI()
            let started = try await cli.unlessAlready(.alreadyStarted) { () async throws(GlusterCLIError) in
                try await cli.start(name, force: force)
            }
            print(started ? "started \(name)" : "\(name) is already started: nothing to do")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Stop a volume: its clients lose access; the data stays.")
        @Argument var name: String

        func run() async throws {
            let cli = GlusterCLI()
            let stopped = try await cli.unlessAlready(.volumeNotStarted) { () async throws(GlusterCLIError) in
                try await cli.stop(name)
            }
            print(stopped ? "stopped \(name)" : "\(name) is not started: nothing to do")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract:
                "Delete a stopped volume. The files stay on the bricks; `brickctl brick reset` makes a brick directory reusable."
        )
        @Argument var name: String

        func run() async throws {
            let cli = GlusterCLI()
            guard let volume = try await cli.volume(name) else {
                print("there is no volume \(name): nothing to do")
                return
            }
            try await cli.delete(name)
            print(
                "deleted \(name); its bricks keep their files: \(volume.bricks.map(\.address.description).joined(separator: " "))"
            )
        }
    }

    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Configuration of one volume or all.")
        @Argument var name: String?
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let cli = GlusterCLI()
            let volumes: [VolumeInfo]
            if let name {
                guard let volume = try await cli.volume(name) else {
                    throw CommandFailure("there is no volume \(name): see `brickctl volume list`")
                }
                volumes = [volume]
            } else {
                volumes = try await cli.volumes()
            }
            if output.json {
                print(try JSONOutput.encode(["volumes": volumes]))
                return
            }
            for (i, v) in volumes.enumerated() {
                if i > 0 { print() }
                print("volume \(v.name) (\(v.id))")
                print("  status:  \(v.status.rawValue)")
                print(
                    "  type:    \(v.type), replica \(v.replicaCount)\(v.arbiterCount > 0 ? " (\(v.arbiterCount) arbiter)" : ""), \(v.brickCount) bricks"
                )
                for (n, set) in v.sets.enumerated() {
                    print(
                        "  set \(n + 1):   "
                            + set.map { $0.address.description + ($0.isArbiter ? " (arbiter)" : "") }.joined(
                                separator: "  "))
                }
                for option in v.options { print("  option:  \(option.key) = \(option.value)") }
            }
            if volumes.isEmpty { print("no volumes") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Volume names, status and type.")
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let cli = GlusterCLI()
            let volumes = try await cli.volumes()
            if output.json {
                print(
                    try JSONOutput.encode([
                        "volumes": volumes.map { ["name": $0.name, "status": $0.status.rawValue, "type": $0.type] }
                    ]))
                return
            }
            var table = TextTable(["NAME", "STATUS", "TYPE", "BRICKS"])
            for v in volumes { table.add([v.name, v.status.rawValue, v.type, String(v.brickCount)]) }
            print(table.render(), terminator: "")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract:
                "Every brick (host, path, online, port, pid), self-heal daemons, pending heals, and a health verdict.")
        @Argument var name: String
        @OptionGroup var output: JSONFlag
        @Flag(
            help:
                "Skip counting entries to heal (the count asks every self-heal daemon; when it is not clean, glfsheal walks every brick's index)."
        ) var noHeal = false
        @Option(
            help:
                "Show a brick offline longer than this (90s, 10m, 1h; known from this host's glustershd.log) with the `brick replace` command that fixes it."
        ) var stale: String = "10m"

        func run() async throws {
            let cli = GlusterCLI()
            guard let staleSeconds = BrickReplaceCommand.seconds(stale) else {
                throw ValidationError("--stale \(stale): write seconds or a number with s, m or h (90s, 10m, 1h)")
            }
            guard let report = try await cli.report(volume: name, heal: !noHeal) else {
                throw CommandFailure("there is no volume \(name): see `brickctl volume list`")
            }
            let volume = report.info
            let status = report.status
            let heal = report.heal
            let health = report.health
            if output.json {
                print(
                    try JSONOutput.encode(
                        VolumeStatusReport(
                            volume: volume, status: status, heal: heal, health: health,
                            offlineBricks: StaleBricks(volume: volume, status: status).entries(
                                olderThan: staleSeconds))))
                return
            }
            var table = TextTable(["BRICK", "ONLINE", "PORT", "PID", "TO HEAL"])
            for brick in volume.bricks {
                let s = status?.brick(brick.address)
                let pending = heal?.bricks.first { $0.address == brick.address }?.entries
                table.add([
                    brick.address.description + (brick.isArbiter ? " (arbiter)" : ""), s?.online == true ? "yes" : "no",
                    s?.port.map(String.init) ?? "-", s?.pid.map(String.init) ?? "-", pending.map(String.init) ?? "-",
                ])
            }
            print(table.render(), terminator: "")
            if let daemons = status?.selfHealDaemons, !daemons.isEmpty {
                print(
                    "self-heal: "
                        + daemons.map { "\($0.host) \($0.online ? "online" : "OFFLINE")" }.joined(separator: ", "))
            }
            print("may mount: \(volume.authAllow.description)")
            print(health.summary)
            for problem in health.problems { print("  - \(problem)") }
            for line in StaleBricks(volume: volume, status: status).lines(olderThan: staleSeconds) { print(line) }
        }
    }

    struct Heal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "heal",
            abstract:
                "Start a heal of the entries the self-heal daemons know (--full: crawl everything), then show what is pending."
        )
        @Argument var name: String
        @Flag(help: "Crawl the whole volume, not only the known entries.") var full = false
        @Flag(help: "Only show what is pending; start nothing.") var info = false
        @OptionGroup var output: JSONFlag

        func run() async throws {
            let cli = GlusterCLI()
            if !info { try await cli.heal(name, full: full) }
            let heal = try await cli.healInfo(name, summary: true)
            if output.json {
                print(try JSONOutput.encode(heal))
                return
            }
            if !info { print("heal of \(name) started\(full ? " (full crawl)" : "")") }
            var table = TextTable(["BRICK", "STATUS", "TO HEAL", "SPLIT-BRAIN"])
            for brick in heal.bricks {
                table.add([
                    brick.address.description, brick.status, brick.entries.map(String.init) ?? "?",
                    brick.splitBrain.map(String.init) ?? "-",
                ])
            }
            print(table.render(), terminator: "")
        }
    }

    struct SetOption: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Set one volume option (`gluster volume set`).")
        @Argument var name: String
        @Argument var key: String
        @Argument var value: String

        func run() async throws {
            let cli = GlusterCLI()
            try await cli.set(name, key, value)
            print("\(name): \(key) = \(value)")
        }
    }
}

extension VolumeCommand {
    struct Profile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "profile",
            abstract: "Bring a volume's options to a profile: web (WordPress/PHP) or default (Gluster's defaults).",
            discussion: "Safe to run twice. `--show` prints every option of the profile with the reason it is there.")

        @Argument var name: String
        @Argument var profile: VolumeProfile
        @Flag(help: "Show what would change; change nothing.") var dryRun = false
        @Flag(help: "Print each option of the profile with why, and the client mount options.") var show = false

        func run() async throws {
            if show {
                print("\(profile.rawValue): \(profile.summary)")
                for option in profile.options { print("  \(option.key) = \(option.value)\n      \(option.reason)") }
                for key in profile.resetKeys { print("  reset \(key)") }
                if !profile.mountOptions.isEmpty {
                    print("client mount options: \(profile.clientMountOptions.joined(separator: ","))")
                    for option in profile.mountOptions { print("  \(option.text)\n      \(option.reason)") }
                }
            }
            let cli = GlusterCLI()
            let changes = try await cli.apply(profile: profile, to: name, dryRun: dryRun)
            if changes.isEmpty {
                print("\(name) already has profile \(profile.rawValue): nothing to do")
            } else {
                print(
                    "\(name): \(dryRun ? "would change" : "changed") \(changes.count) option\(changes.count == 1 ? "" : "s") for profile \(profile.rawValue)"
                )
                for change in changes { print("  \(change)") }
            }
            if profile == .web && !show {
                print("client mount options: \(profile.clientMountOptions.joined(separator: ","))")
            }
        }
    }
}

extension VolumeProfile: ExpressibleByArgument {}

/// `brickctl volume status --json`.
struct VolumeStatusReport: Encodable {
    var volume: VolumeInfo
    var status: VolumeStatus?
    var heal: HealInfo?
    var health: VolumeHealth
    /// `--stale`: the offline bricks, how long, and the fix once stale.
    var offlineBricks: [StaleBricks.Entry] = []

    enum Key: String, CodingKey { case name, state, health, bricks, selfHealDaemons, heal, authAllow, offlineBricks }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(volume.name, forKey: .name)
        try c.encode(volume.status.rawValue, forKey: .state)
        try c.encode(health, forKey: .health)
        try c.encode(status?.bricks ?? [], forKey: .bricks)
        try c.encode(status?.selfHealDaemons ?? [], forKey: .selfHealDaemons)
        try c.encode(heal, forKey: .heal)
        try c.encode(volume.authAllow.entries, forKey: .authAllow)
        try c.encode(offlineBricks, forKey: .offlineBricks)
    }
}

extension VolumeInfo {
    /// Who may mount the volume, from its reconfigured options (`*` when auth.allow was never set).
    var authAllow: AuthAllow { option(AuthAllow.key).map { AuthAllow(value: $0) } ?? .everyone }
}
