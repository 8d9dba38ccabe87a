import Foundation
import Gluster
import HostIO

/// After `replace-brick`: a full heal, the progress line until nothing is pending, and the
/// verification of every replica set that got a new brick. Shared by `brick replace` and
/// `node replace`.
struct ReplacementWatch {
    var volume: String
    /// The replacements in this volume (their sets are watched and verified).
    var plans: [BrickReplacement]
    /// `--timeout` as given, for messages.
    var timeout: String
    var sample: Int
    /// The command that resumes the wait, for messages.
    var again: String

    /// Polls the heal until nothing is pending, then verifies the copies; both before `deadline`.
    func waitAndVerify(cli: GlusterCLI, started: Double, deadline: Double) async throws {
        var reader = cli
        reader.lockPath = nil  // glfsheal takes no glusterd transaction (see GlusterCLI.report)
        var lastLine = ""
        var lastPrinted = 0.0
        var differences: [ReplicaDifference] = []
        var progress: HealProgress?
        var healStarted = false
        // The same pending counts for `stallSeconds`: glusterfs#4064's symlinks, re-created once per stall.
        var stallLine = ""
        var stallSince = monotonicSeconds()
        var relinkedAt = ""
        let bricks = plans.flatMap(\.setAfter)
        while true {
            // Right after the replacement the self-heal daemons restart with the new brick and
            // refuse for a while: ask again on the next round (the marks on the other copies make
            // them heal the new brick anyway; the full crawl also finds what was never marked).
            if !healStarted {
                healStarted = try await cli.startFullHeal(volume)
            }
            if let heal = try? await reader.healInfo(volume, summary: true) {
                let now = HealProgress(heal: heal, set: bricks)
                progress = now
                if now.line != lastLine || monotonicSeconds() - lastPrinted > 30 {
                    print("  \(Int(monotonicSeconds() - started)) s: \(now.line)")
                    fflush(nil)
                    lastLine = now.line
                    lastPrinted = monotonicSeconds()
                }
                if now.line != stallLine {
                    stallLine = now.line
                    stallSince = monotonicSeconds()
                } else if healStarted, !now.isComplete, relinkedAt != now.line,
                    monotonicSeconds() - stallSince > Self.stallSeconds
                {
                    relinkedAt = now.line
                    await relinkStuckSymlinks(reader)
                }
                if now.splitBrain > 0 {
                    throw CommandFailure(
                        "the heal found \(now.splitBrain) entries in split-brain: resolve them (`gluster volume heal \(volume) info split-brain`), then run `\(again)` again to finish"
                    )
                }
                if now.isComplete && healStarted {
                    differences = try await verify()
                    if differences.isEmpty { return }
                    print(
                        "  nothing pending, but the copies differ yet (the full crawl is still running?): \(differences.count) difference(s)"
                    )
                }
            }
            if monotonicSeconds() > deadline {
                let left = progress.map { "pending: \($0.line)" } ?? "pending entries could not be read"
                let diff =
                    differences.isEmpty
                    ? "" : "; copies differ: " + differences.prefix(3).map(\.description).joined(separator: "; ")
                throw CommandFailure(
                    "the heal of \(volume) did not finish within --timeout \(timeout) (\(left)\(diff)). It goes on in the background: run `\(again)` again to resume waiting and verify (it will not replace again), or watch `brickctl volume heal \(volume) --info`"
                )
            }
            try await Task.sleep(for: .seconds(2))
        }
    }

    /// Seconds without any change in the pending counts before the stuck symlinks are re-created.
    static let stallSeconds = 20.0

    /// glusterfs 10.x never heals a symlink onto the new brick when the link also has a pending
    /// metadata heal (gluster/glusterfs#4064, fixed in 11; seen: `chown -h` by a restore while a
    /// copy was away). The pending symlinks are created anew through a client (`SymlinkRelinker`):
    /// same target, owner and times; every copy gets them. Best effort: a failure is reported.
    func relinkStuckSymlinks(_ reader: GlusterCLI) async {
        guard let heal = try? await reader.healInfo(volume), !heal.pendingPaths.isEmpty else { return }
        let relinker = SymlinkRelinker(server: plans.first?.new.host ?? LocalGlusterd.hostname, volume: volume)
        let paths = heal.pendingPaths
        do {
            let done = try await BlockingPool.shared.run("re-creating stuck symlinks", seconds: 180) {
                try relinker.relink(paths)
            }
            guard !done.isEmpty else { return }
            print(
                "  the heal is stuck on \(done.count) symlink(s) with a pending owner/times change (glusterfs bug #4064, fixed in 11): re-created through a client: \(done.prefix(5).joined(separator: ", "))\(done.count > 5 ? ", …" : "")"
            )
            fflush(nil)
            _ = try? await reader.heal(volume)
        } catch {
            print("  the heal is stuck; re-creating its symlinks failed: \(error)")
        }
    }

    /// `verify()` for a replacement already done: when the copies differ, they are read once more
    /// a few seconds later before that counts (a copy read through a client that was still
    /// connecting to its brick can read as empty).
    func verifyDone() async throws -> [ReplicaDifference] {
        let differences = try await verify()
        guard !differences.isEmpty else { return differences }
        try await Task.sleep(for: .seconds(3))
        return try await verify()
    }

    /// Reads every data copy of each replaced set through a pinned client and compares them.
    func verify() async throws -> [ReplicaDifference] {
        let info = try await GlusterCLI().volume(volume)
        let arbiters = Set(info?.bricks.filter(\.isArbiter).map(\.address) ?? [])
        // Files the site writes from now on (a few seconds' margin for the clocks of the clients
        // that stamp them) differ between copies read one after the other: left out.
        let since = Date().addingTimeInterval(-5)
        var all: [ReplicaDifference] = []
        for plan in plans {
            let replicaReader = ReplicaReader(server: plan.new.host, volume: volume, sampleSize: sample)
            var manifests: [ReplicaManifest] = []
            for (index, brick) in plan.setAfter.enumerated() where !arbiters.contains(brick) {
                let setIndex = plan.setIndex
                manifests.append(
                    try await BlockingPool.shared.run("reading copy \(brick)", seconds: replicaReader.timeout + 120) {
                        try replicaReader.manifest(setIndex: setIndex, index: index, brick: brick, changedSince: since)
                    })
            }
            let differences = ReplicaManifest.differences(manifests)
            if differences.isEmpty, let first = manifests.first {
                let changed = Set(manifests.flatMap(\.changed))
                let stable = Set(first.paths).subtracting(changed).count
                let leftOut = changed.isEmpty ? "" : " (\(changed.count) written during the check left out)"
                print(
                    "verified\(plans.count > 1 ? " (\(volume) set \(plan.setIndex + 1))" : ""): \(manifests.count) copies hold \(changed.isEmpty ? first.files : stable) files\(leftOut) and \(first.directories) directories; sha256 of \(first.sample.count) sampled files identical"
                )
            }
            all += differences
        }
        return all
    }
}

extension GlusterCLI {
    /// Asks for a full heal of `volume` (after a brick replace or a replica expansion); false while
    /// the self-heal daemons are not ready (they restart with a new brick and refuse for a while:
    /// the caller asks again on its next round).
    func startFullHeal(_ volume: String) async throws(GlusterCLIError) -> Bool {
        do {
            try await heal(volume, full: true)
            print("full heal of \(volume) started; pending entries per brick:")
            return true
        } catch .refused(let refusal, let command) {
            // "Commit failed on n4": the new brick's host, whose self-heal daemon is restarting.
            guard refusal.kind == .selfHealNotReady || refusal.kind == .commitFailed else {
                throw .refused(refusal, command: command)
            }
            print("  the self-heal daemons are not ready yet; asking again")
            return false
        }
    }
}
