import ArgumentParser
import DiskPreparation
import Foundation
import Fstab
import Gluster
import HostIO

/// `brickctl brick replace VOLUME OLD NEW`: a dead (or doomed) brick's place goes to a new one,
/// healed and verified.
struct BrickReplaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replace",
        abstract:
            "Replace a brick of a replicated volume: commit, full heal until nothing is pending, verify the copies.",
        discussion: """
            OLD and NEW are host:/path; NEW may be a bare disk on this host (host:/dev/DEVICE): it is \
            prepared first with `brickctl prepare`'s rules, and the brick goes to its brick directory \
            plus /VOLUME. Refused before anything changes when OLD still holds changes the other \
            copies need (OLD online with pending heals, or split-brain), when no other copy is \
            online, or when NEW is not empty, already a brick, or shares a host with another copy \
            (--force accepts the last two risks of redundancy, never of data).

            Then: `gluster volume replace-brick VOLUME OLD NEW commit force`, `gluster volume heal \
            VOLUME full`, a progress line (entries pending per brick) until nothing is pending \
            (at most --timeout), and a verification: every copy of the set, read through a client \
            pinned to it, holds the same number of files and directories and the same sha256 for a \
            sample of files. Safe to run twice: after success it does nothing; after an \
            interruption it resumes at the heal.
            """
    )

    @Argument(help: "The volume.")
    var volume: String

    @Argument(help: "The brick to replace, host:/path (as `brickctl volume info` shows it).")
    var old: String

    @Argument(help: "The new brick, host:/path, or a bare disk on this host, host:/dev/DEVICE.")
    var new: String

    @Flag(help: "Show the plan and the findings; change nothing.")
    var dryRun = false

    @Flag(help: "Accept NEW on the host of another copy, or on the root filesystem (less redundancy).")
    var force = false

    @Option(help: "How long to wait for the heal: 90s, 30m, 1h.")
    var timeout: String = "1h"

    @Option(help: "Files whose sha256 is compared across the copies.")
    var sample: Int = 64

    func run() async throws {
        guard let oldBrick = BrickAddress(parsing: old) else {
            throw ValidationError("OLD \(old) is not a brick: write host:/absolute/path")
        }
        guard let given = BrickAddress(parsing: new) else {
            throw ValidationError("NEW \(new) is not a brick: write host:/absolute/path or host:/dev/DEVICE")
        }
        let seconds = try Self.seconds(timeout: timeout)
        let cli = GlusterCLI()
        let here = LocalGlusterd.hostname

        // NEW as a bare disk: its brick directory after `prepare` (planned now, prepared later).
        var disk: (preparer: Preparer, request: PrepareRequest, plan: PreparePlan)?
        var newBrick = given
        if given.path.hasPrefix("/dev/") {
            guard given.host == here || given.host == "localhost" else {
                throw CommandFailure(
                    "\(given) is a disk on \(given.host), not on this host (\(here)): run this command on \(given.host), or run `brickctl prepare \(given.path)` there and give NEW as \(given.host):BRICK_DIRECTORY/\(volume)"
                )
            }
            let preparer = Preparer(fstab: FstabStore(path: FstabStore.defaultPath), convention: .current)
            let request = PrepareRequest(device: given.path, convention: .current)
            let plan: PreparePlan
            do {
                plan = try preparer.plan(request)
            } catch let refusal as PrepareRefusal {
                throw CommandFailure("\(given.path) cannot become the new brick: \(refusal.commandLineText)")
            }
            disk = (preparer, request, plan)
            newBrick = BrickAddress(host: here, path: "\(plan.brickDirectory)/\(volume)")
        }

        var replacement = try await decide(
            cli: cli, old: oldBrick, new: newBrick, preparedLater: disk.map { !$0.plan.isNoOp } ?? false,
            diskBytes: disk.flatMap { Self.deviceBytes($0.request.device) })
        if dryRun {
            printPlan(replacement, disk: disk?.plan, seconds: seconds)
            return
        }
        if replacement.phase == .done {
            // Nothing to change; the copies are compared again (read-only): an earlier run may have
            // stopped before its verification.
            print("\(newBrick) already replaced \(oldBrick) in \(volume) and nothing is pending: nothing to change")
            let differences = try await watch(replacement).verifyDone()
            guard differences.isEmpty else {
                throw CommandFailure(
                    "nothing is pending, but the copies differ: "
                        + differences.prefix(5).map(\.description).joined(separator: "; ")
                        + ". Start a full heal (`brickctl volume heal \(volume) --full`) and run this again; if they still differ, compare the files on the bricks by hand"
                )
            }
            return
        }
        for note in replacement.notes {
            if case .forced(let refusal) = note { warn("--force: \(refusal.description)") }
        }

        if let disk, !disk.plan.isNoOp {
            print("preparing \(disk.request.device) as brick \(disk.plan.label) at \(disk.plan.mountPoint)")
            do {
                _ = try disk.preparer.run(disk.request)
            } catch let refusal as PrepareRefusal {
                throw CommandFailure("\(disk.request.device) cannot become the new brick: \(refusal.commandLineText)")
            }
            replacement = try await decide(cli: cli, old: oldBrick, new: newBrick, preparedLater: false)
        }

        let started = monotonicSeconds()
        let deadline = started + seconds
        if replacement.phase == .replace {
            let allowBefore = try? await cli.authAllow(volume)
            try await cli.replaceBrick(replacement)
            print("replaced \(oldBrick) by \(newBrick) in \(volume) (replica set \(replacement.setIndex + 1))")
            // replace-brick appends brick host names to auth.allow: the list is set back as it was.
            if let allowBefore, let current = try? await cli.authAllow(volume),
                let wanted = NodeReplacement.authAllow(before: allowBefore, current: current, removing: [], adding: [])
            {
                try await cli.setAuthAllow(volume, wanted)
            }
        } else {
            print("\(newBrick) already replaced \(oldBrick) in \(volume): resuming at the heal")
        }
        try await watch(replacement).waitAndVerify(cli: cli, started: started, deadline: deadline)
    }

    /// Observes the pool and plans; a refusal becomes the command line's sentence.
    private func decide(
        cli: GlusterCLI, old: BrickAddress, new: BrickAddress, preparedLater: Bool, diskBytes: UInt64? = nil
    ) async throws -> BrickReplacement {
        let info = try await cli.volume(volume)
        let all = try await cli.volumes()
        let status = info?.status == .started ? try? await cli.status(volume) : nil
        // The other copies' filesystems' used bytes, and the room NEW has (a disk prepared later:
        // its size; a directory here: its filesystem's free bytes).
        let detail = info?.status == .started ? try? await cli.status(volume, detail: true) : nil
        let used = Dictionary(
            (detail?.bricks ?? []).compactMap { brick in
                brick.disk.map { (brick.address, $0.bytesTotal - min($0.bytesTotal, $0.bytesFree)) }
            }, uniquingKeysWith: { first, _ in first })
        var reader = cli
        reader.lockPath = nil  // glfsheal takes no glusterd transaction (see GlusterCLI.report)
        let heal = info?.status == .started ? try? await reader.healInfo(volume, summary: true) : nil
        let here = LocalGlusterd.hostname
        let pool = (try? await cli.peers())?.filter(\.isInCluster).flatMap {
            $0.isSelf ? [here, "localhost"] : $0.hostnames
        }
        let isHere = new.host == here || new.host == "localhost"
        let available = preparedLater ? diskBytes : isHere ? Self.freeBytes(below: new.path) : nil
        let directory: BrickReplacement.NewDirectory =
            preparedLater
            ? .usable(onBrickDisk: true)
            : (new.host == here || new.host == "localhost") ? .observe(path: new.path) : .unchecked
        do {
            return try BrickReplacement.plan(
                name: volume, volume: info, status: status, heal: heal, allVolumes: all, poolHosts: pool, old: old,
                new: new, newDirectory: directory, newAvailableBytes: available, usedBytes: used, force: force)
        } catch {
            throw CommandFailure(
                error.commandLineDescription(volume: volume, old: old.description, new: new.description))
        }
    }

    /// Bytes free (for root) on the filesystem of `path`, or of its nearest existing parent.
    static func freeBytes(below path: String) -> UInt64? {
        var existing = path
        while !FileManager.default.fileExists(atPath: existing) && existing != "/" && !existing.isEmpty {
            existing = (existing as NSString).deletingLastPathComponent
        }
        guard
            let attributes = try? FileManager.default.attributesOfFileSystem(
                forPath: existing.isEmpty ? "/" : existing),
            let free = attributes[.systemFreeSize] as? NSNumber
        else { return nil }
        return free.uint64Value
    }

    /// A block device's size in bytes (/sys/class/block/NAME/size, in 512-byte sectors).
    static func deviceBytes(_ device: String) -> UInt64? {
        let resolved =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: device)).map {
                $0.hasPrefix("/")
                    ? $0 : ((device as NSString).deletingLastPathComponent as NSString).appendingPathComponent($0)
            } ?? device
        let name = (resolved as NSString).lastPathComponent
        guard let text = try? String(contentsOfFile: "/sys/class/block/\(name)/size", encoding: .utf8),
            let sectors = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        return sectors * 512
    }

    private func printPlan(_ plan: BrickReplacement, disk: PreparePlan?, seconds: Double) {
        print(
            "Plan for \(plan.volume), replica set \(plan.setIndex + 1): \(plan.set.map(\.description).joined(separator: " "))"
        )
        switch plan.phase {
        case .done:
            print("  \(plan.new) already replaced \(plan.old) and nothing is pending: nothing to do")
            return
        case .heal:
            print("  \(plan.new) already replaced \(plan.old): resume at the heal")
        case .replace:
            var step = 1
            if let disk, !disk.isNoOp {
                print(
                    "  \(step). prepare \(disk.device) as brick \(disk.label) at \(disk.mountPoint) (\(disk.steps.count) steps)"
                )
                step += 1
            }
            print("  \(step). gluster \(plan.replaceArguments.joined(separator: " "))")
        }
        print(
            "  then: gluster volume heal \(plan.volume) full; wait until nothing is pending (at most \(Int(seconds)) s)"
        )
        print(
            "  then: compare file counts and the sha256 of up to \(sample) files on \(plan.setAfter.map(\.description).joined(separator: " "))"
        )
        for note in plan.notes {
            switch note {
            case .oldOffline: print("  finding: \(plan.old) is offline")
            case .newDirectoryUnchecked(let host):
                print("  finding: \(plan.new) is on \(host): its directory is checked by glusterd, not here")
            case .forced(let refusal): print("  finding (--force): \(refusal.description)")
            }
        }
        print("Nothing was changed (--dry-run).")
    }

    private func watch(_ plan: BrickReplacement) -> ReplacementWatch {
        ReplacementWatch(
            volume: volume, plans: [plan], timeout: timeout, sample: sample,
            again: "brickctl brick replace \(volume) \(old) \(new)")
    }

    private func warn(_ text: String) {
        FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
    }

    /// `--timeout` of `brick replace`, `volume expand` and `node replace`, in seconds.
    /// - Throws: `ValidationError` naming the forms it takes.
    static func seconds(timeout: String) throws -> Double {
        guard let seconds = seconds(timeout) else {
            throw ValidationError("--timeout \(timeout): write seconds or a number with s, m or h (90s, 30m, 1h)")
        }
        return seconds
    }

    /// "90", "90s", "30m", "1h" → seconds.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        if let last = text.last, let unit = units[last], let value = Double(text.dropLast()), value > 0 {
            return value * unit
        }
        if let value = Double(text), value > 0 { return value }
        return nil
    }
}
