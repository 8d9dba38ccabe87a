import ArgumentParser
import BlockDevices
import Foundation
import Gluster
import HostIO

/// `brickctl volume expand VOLUME --hosts a,b,c` (a new replica set, then a rebalance) or
/// `--replica 3 --hosts c` (one more copy per set, then a full heal).
struct VolumeExpandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Grow a volume: a new replica set (--hosts) with a rebalance, or one more copy per set (--replica).",
        discussion: """
            --hosts a,b,c alone adds one replica set per SET-SIZE hosts (bricks at BRICK_ROOT/VOLUME), \
            then rebalances and shows its progress. --replica N --hosts x[,y...] adds one data copy \
            to every set, one host per set in set order (replica 2 → 3; replica 3 arbiter 1 → three \
            data copies: the arbiter brick is removed first), then heals in full until nothing is \
            pending. Refused when a set would keep two copies on one host (unless --force), with the \
            wrong number of hosts, or with a host outside the pool. Safe to run twice: bricks that \
            are already in the volume are not added again; only the rebalance or heal is awaited.
            """
    )

    @Argument(help: "The volume.")
    var volume: String

    @Option(help: "Hosts for the new bricks, comma-separated.")
    var hosts: String = ""

    @Option(help: "The new replica count (one more copy per set).")
    var replica: Int?

    @Option(help: "The brick directory on every new host.")
    var brickRoot: String = BrickConvention.firstBrickDirectory

    @Flag(help: "Accept a set with two copies on one host.")
    var force = false

    @Flag(help: "Show the plan; change nothing.")
    var dryRun = false

    @Option(help: "How long to wait for the rebalance or heal: 90s, 30m, 1h.")
    var timeout: String = "1h"

    func run() async throws {
        let seconds = try BrickReplaceCommand.seconds(timeout: timeout)
        let cli = GlusterCLI()
        let here = LocalGlusterd.hostname
        let info = try await cli.volume(volume)
        let all = try await cli.volumes()
        let pool = try await cli.peers().filter(\.isInCluster).flatMap {
            $0.isSelf ? [here, "localhost"] : $0.hostnames
        }
        let plan: VolumeExpansion
        do {
            if let replica {
                plan = try VolumeExpansion.raiseReplica(
                    name: volume, volume: info, allVolumes: all, pool: pool, to: replica, hosts: commaList(hosts),
                    brickRoot: brickRoot, force: force)
            } else {
                guard !hosts.isEmpty else {
                    throw ValidationError("give --hosts a,b,c (a new replica set) or --replica N")
                }
                plan = try VolumeExpansion.addSets(
                    name: volume, volume: info, allVolumes: all, pool: pool, hosts: commaList(hosts),
                    brickRoot: brickRoot, force: force)
            }
        } catch let refusal as VolumeExpansionRefusal {
            throw CommandFailure(refusal.commandLineDescription(volume: volume))
        }
        let rebalances: Bool
        if case .addSets = plan.kind { rebalances = true } else { rebalances = false }
        if dryRun {
            print("Plan for \(volume):")
            if plan.isAdded {
                print(
                    "  these bricks are already in the volume: nothing to add (a new set on the same hosts needs another disk: --brick-root)"
                )
            }
            for call in plan.glusterCalls { print("  gluster \(call.joined(separator: " "))") }
            print(
                rebalances
                    ? "  then: gluster volume rebalance \(volume) start; wait until completed (at most \(Int(seconds)) s)"
                    : "  then: gluster volume heal \(volume) full; wait until nothing is pending (at most \(Int(seconds)) s)"
            )
            print(
                "  sets after: "
                    + plan.setsAfter.map { $0.map(\.description).joined(separator: " ") }.joined(separator: " | "))
            print("Nothing was changed (--dry-run).")
            return
        }
        let deadline = monotonicSeconds() + seconds
        if !plan.isAdded {
            try await cli.expand(plan)
            print("added \(plan.newBricks.map(\.description).joined(separator: " ")) to \(volume)")
        }
        if rebalances {
            try await rebalance(cli: cli, fresh: !plan.isAdded, deadline: deadline)
        } else {
            if plan.isAdded, let heal = try? await cli.healInfo(volume, summary: true),
                HealProgress(heal: heal, set: plan.setsAfter.flatMap { $0 }).isComplete
            {
                print("\(volume) already has replica \(replica ?? 0) with nothing pending: nothing to do")
                return
            }
            try await heal(cli: cli, plan: plan, deadline: deadline)
        }
    }

    private func rebalance(cli: GlusterCLI, fresh: Bool, deadline: Double) async throws {
        var status = try? await cli.rebalanceStatus(volume)
        if fresh || status == nil || status?.hasFailed == true {
            try await cli.startRebalance(volume)
            print("rebalance of \(volume) started")
            status = nil
        } else if status?.isCompleted == true {
            print(
                "the bricks are already in \(volume) and its rebalance completed: nothing to do (a new set on the same hosts needs another disk: --brick-root)"
            )
            return
        }
        var last = ""
        while true {
            if let now = try? await cli.rebalanceStatus(volume) {
                if now.line != last {
                    print("  \(now.line)")
                    fflush(nil)
                    last = now.line
                }
                if now.isCompleted {
                    print("rebalance of \(volume) completed: \(now.total.files) files moved")
                    return
                }
                if now.hasFailed {
                    throw CommandFailure(
                        "the rebalance of \(volume) stopped or failed (\(now.line)): see /var/log/glusterfs/\(volume)-rebalance.log on the failed host, then run `brickctl volume expand \(volume) --hosts \(hosts)` again to restart it"
                    )
                }
            }
            if monotonicSeconds() > deadline {
                throw CommandFailure(
                    "the rebalance of \(volume) did not finish within --timeout \(timeout) (\(last)). It goes on in the background: run this command again to keep waiting (nothing is added twice), or watch `gluster volume rebalance \(volume) status`"
                )
            }
            try await Task.sleep(for: .seconds(2))
        }
    }

    private func heal(cli: GlusterCLI, plan: VolumeExpansion, deadline: Double) async throws {
        var reader = cli
        reader.lockPath = nil
        var started = false
        var last = ""
        let bricks = plan.setsAfter.flatMap { $0 }
        while true {
            if !started {
                started = try await cli.startFullHeal(volume)
            }
            if let heal = try? await reader.healInfo(volume, summary: true) {
                let progress = HealProgress(heal: heal, set: bricks)
                if progress.line != last {
                    print("  \(progress.line)")
                    fflush(nil)
                    last = progress.line
                }
                if started && progress.isComplete {
                    print("\(volume) has \(plan.setsAfter.first?.count ?? 0) copies per set; nothing pending")
                    return
                }
            }
            if monotonicSeconds() > deadline {
                throw CommandFailure(
                    "the heal did not finish within --timeout \(timeout) (pending: \(last)). It goes on in the background: run this command again to keep waiting (nothing is added twice)"
                )
            }
            try await Task.sleep(for: .seconds(2))
        }
    }
}
