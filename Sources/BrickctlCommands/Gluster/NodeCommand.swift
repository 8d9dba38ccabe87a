import ArgumentParser
import BlockDevices
import Foundation
import Gluster
import HostIO
import VolumePlugin

/// `brickctl node replace OLD NEW`: every brick of a dead (or retiring) host moves to another.
struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Operations on a whole host of the pool.",
        subcommands: [Replace.self]
    )

    struct Replace: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replace",
            abstract: "Move every brick of OLD (all volumes) to NEW, heal and verify, then take OLD out of the pool.",
            discussion: """
                OLD may be unreachable (the usual case). NEW must be in the pool (`brickctl peer probe \
                NEW`) with a prepared brick disk: each brick goes to BRICK_ROOT plus the old brick's \
                last path component (…/brick/gv0). Every brick is checked with `brick replace`'s \
                refusals first; nothing changes when one is refused. Then per brick `replace-brick \
                … commit force`, per volume a full heal with progress and the verification of every \
                set that got a new brick, then auth.allow of each volume gains NEW's addresses and \
                loses OLD's, and OLD is detached (`force` when it is unreachable). Safe to run twice.
                """
        )

        @Argument(help: "The host to replace.") var old: String
        @Argument(help: "The host that takes its bricks.") var new: String
        @Option(help: "The brick directory on NEW.")
        var brickRoot: String = BrickConvention.firstBrickDirectory
        @Flag(help: "Show the plan; change nothing.") var dryRun = false
        @Flag(help: "Accept NEW on the host of another copy of a set (less redundancy).") var force = false
        @Option(help: "How long to wait for each volume's heal: 90s, 30m, 1h.") var timeout: String = "1h"
        @Option(help: "Files whose sha256 is compared across the copies of each set.") var sample: Int = 64
        @Flag(help: "Also move OLD's Swarm node labels to NEW (docker node update; run on a Swarm manager).")
        var swarm = false
        @Option(
            name: .customLong("plugin-config"),
            help: "This host's plugin configuration: OLD in its servers list is replaced by NEW.")
        var pluginConfig: String = PluginConfiguration.defaultPath

        func run() async throws {
            let seconds = try BrickReplaceCommand.seconds(timeout: timeout)
            let cli = GlusterCLI()
            let here = LocalGlusterd.hostname
            let peers = try await cli.peers()
            let pool = peers.filter(\.isInCluster).flatMap { $0.isSelf ? [here, "localhost"] : $0.hostnames }
            let volumes = try await cli.volumes()
            var reader = cli
            reader.lockPath = nil
            var statuses: [String: VolumeStatus] = [:]
            var heals: [String: HealInfo] = [:]
            for volume in volumes
            where volume.status == .started
                && volume.bricks.contains(where: { $0.address.host == old || $0.address.host == new })
            {
                statuses[volume.name] = try? await cli.status(volume.name)
                heals[volume.name] = try? await reader.healInfo(volume.name, summary: true)
            }
            let plan: NodeReplacement
            do {
                plan = try NodeReplacement.plan(
                    old: old, new: new, volumes: volumes, statuses: statuses, heals: heals, pool: pool,
                    brickRoot: brickRoot, force: force)
            } catch {
                throw CommandFailure(commandLine(error))
            }
            let plans =
                plan.bricks.isEmpty
                ? NodeReplacement.resumed(old: old, new: new, volumes: volumes, heals: heals, brickRoot: brickRoot)
                : plan.bricks
            let oldInPool = peers.contains { !$0.isSelf && $0.hostnames.contains(old) }
            if dryRun {
                print("Plan for \(old) → \(new):")
                if plans.isEmpty { print("  \(old) holds no brick") }
                for brick in plans {
                    switch brick.phase {
                    case .replace: print("  gluster \(brick.replaceArguments.joined(separator: " "))")
                    case .heal: print("  \(brick.new) (\(brick.volume)) is in place: wait for its heal and verify")
                    case .done: print("  \(brick.new) (\(brick.volume)) is in place and healed: verify")
                    }
                }
                for volume in Set(plans.map(\.volume)).sorted() {
                    print("  then: gluster volume heal \(volume) full; wait (at most \(Int(seconds)) s); verify")
                }
                print("  then: auth.allow of every volume: add \(new)'s addresses, remove \(old)'s")
                if oldInPool { print("  then: gluster peer detach \(old) (force when unreachable)") }
                try updatePluginServers(dryRun: true)
                if swarm { try moveSwarmLabels(dryRun: true) }
                print("Nothing was changed (--dry-run).")
                return
            }
            let started = monotonicSeconds()
            // auth.allow as it is before replace-brick (which appends brick host names to it).
            var allowBefore: [String: AuthAllow] = [:]
            for volume in Set(plans.filter { $0.phase == .replace }.map(\.volume)) {
                allowBefore[volume] = try? await cli.authAllow(volume)
            }
            for brick in plans where brick.phase == .replace {
                try await cli.replaceBrick(brick)
                print("replaced \(brick.old) by \(brick.new) in \(brick.volume)")
            }
            let again = "brickctl node replace \(old) \(new)"
            for volume in plan.volumes.isEmpty ? Array(Set(plans.map(\.volume))).sorted() : plan.volumes {
                let ours = plans.filter { $0.volume == volume }
                let watch = ReplacementWatch(
                    volume: volume, plans: ours, timeout: timeout, sample: sample, again: again)
                if ours.allSatisfy({ $0.phase == .done }) {
                    print("\(volume): the bricks are on \(new) and nothing is pending; checking the copies again")
                    let differences = try await watch.verifyDone()
                    guard differences.isEmpty else {
                        throw CommandFailure(
                            "\(volume): nothing is pending, but the copies differ: "
                                + differences.prefix(5).map(\.description).joined(separator: "; ")
                                + ". Start a full heal (`brickctl volume heal \(volume) --full`) and run `\(again)` again"
                        )
                    }
                } else {
                    try await watch.waitAndVerify(cli: cli, started: started, deadline: monotonicSeconds() + seconds)
                }
            }
            try await updateAuthAllow(cli: cli, volumes: Set(plans.map(\.volume)), before: allowBefore)
            if oldInPool {
                try await detach(cli: cli)
                print("detached \(old) from the pool")
            } else {
                print("\(old) is not in the pool: nothing to detach")
            }
            try updatePluginServers(dryRun: false)
            if swarm { try moveSwarmLabels(dryRun: false) }
        }

        /// The servers list of this host's plugin configuration: OLD replaced by NEW in place (or
        /// dropped when NEW is listed already). The plugin reads it when it starts; the other Docker
        /// hosts keep their own file, so the sentence says what to run there.
        private func updatePluginServers(dryRun: Bool) throws {
            let elsewhere =
                "Docker hosts: a plugin whose servers list names \(old) should name \(new) instead (there: `brickctl plugin install --servers …` with \(new) in \(old)'s place)"
            guard FileManager.default.fileExists(atPath: pluginConfig) else {
                print(elsewhere)
                return
            }
            let configuration: PluginConfiguration
            do {
                configuration = try PluginConfiguration.load(path: pluginConfig)
            } catch {
                throw CommandFailure("\(error): the Gluster part is done; fix the file and run this again")
            }
            guard configuration.servers.contains(old) else {
                print(
                    "\(pluginConfig): servers \(configuration.servers.joined(separator: ",")) do not name \(old): kept")
                print(elsewhere)
                return
            }
            var updated = configuration
            updated.servers = NodeReplacement.servers(configuration.servers, replacing: old, by: new)
            let list = updated.servers.joined(separator: ",")
            if dryRun {
                print("  then: \(pluginConfig): servers \(configuration.servers.joined(separator: ",")) → \(list)")
                return
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try AtomicFile.write(try encoder.encode(updated) + Data("\n".utf8), to: pluginConfig, mode: 0o644)
            print(
                "\(pluginConfig): servers now \(list); the plugin reads them when it starts (`systemctl restart brickctl-plugin` when no container is starting; mounted volumes stay mounted)"
            )
            print(elsewhere)
        }

        /// auth.allow of the volumes that list addresses: NEW's added, OLD's removed, from the
        /// value before replace-brick when this run read one (`NodeReplacement.authAllow`).
        private func updateAuthAllow(cli: GlusterCLI, volumes: Set<String>, before: [String: AuthAllow]) async throws {
            let newAddresses = (try? ClientAddresses.resolve([new]))?.map(\.address) ?? [new]
            let oldAddresses = ((try? ClientAddresses.resolve([old]))?.map(\.address) ?? []) + [old]
            for volume in volumes.sorted() {
                let current = try await cli.authAllow(volume)
                guard
                    let wanted = NodeReplacement.authAllow(
                        before: before[volume], current: current, removing: oldAddresses, adding: newAddresses)
                else { continue }
                try await cli.setAuthAllow(volume, wanted)
                print("\(volume): may mount: \(wanted.description)")
            }
        }

        /// `peer detach OLD`, with `force` when glusterd refuses because OLD is unreachable.
        private func detach(cli: GlusterCLI) async throws(GlusterCLIError) {
            do {
                try await cli.detach(old)
            } catch .refused(let refusal, let command) {
                guard refusal.kind == .peerUnreachable || refusal.kind == .other else {
                    throw .refused(refusal, command: command)
                }
                try await cli.run(["peer", "detach", old, "force"], subject: old)
            }
        }

        /// OLD's Swarm node labels onto NEW (`docker node update --label-add` on NEW, `--label-rm`
        /// on OLD), so tasks constrained by them run on NEW. Dry run: only the commands.
        private func moveSwarmLabels(dryRun: Bool) throws {
            let docker = DockerCLI()
            let nodes = try docker.nodes()
            guard let from = nodes.first(where: { $0.hostname == old }) else {
                print("Swarm: no node \(old): no labels to move")
                return
            }
            guard let to = nodes.first(where: { $0.hostname == new }) else {
                throw CommandFailure(
                    "Swarm: \(new) is not a node of the Swarm: join it first (`docker swarm join-token worker` on a manager), then run this again"
                )
            }
            let moves = from.labels.sorted { $0.key < $1.key }
            guard !moves.isEmpty else {
                print("Swarm: \(old) has no labels: nothing to move")
                return
            }
            let add = moves.filter { to.labels[$0.key] != $0.value }.flatMap {
                ["--label-add", "\($0.key)=\($0.value)"]
            }
            let remove = moves.flatMap { ["--label-rm", $0.key] }
            for call in [
                add.isEmpty ? nil : ["node", "update"] + add + [to.id], ["node", "update"] + remove + [from.id],
            ] {
                guard let call else { continue }
                if dryRun {
                    print("  docker \(call.joined(separator: " "))")
                } else {
                    try docker.check(call)
                }
            }
            if !dryRun {
                print(
                    "Swarm: labels \(moves.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) moved from \(old) to \(new)"
                )
            }
        }

        private func commandLine(_ refusal: NodeReplacementRefusal) -> String {
            switch refusal {
            case .sameHost: return refusal.description
            case .newNotInPool(let host, _): return "\(refusal.description): `brickctl peer probe \(host)` first"
            case .brick(let volume, let brick, let inner):
                return
                    "\(brick) of \(volume) cannot move: "
                    + inner.commandLineDescription(volume: volume, old: brick.description, new: new)
                    + ". Nothing was changed"
            }
        }
    }
}
