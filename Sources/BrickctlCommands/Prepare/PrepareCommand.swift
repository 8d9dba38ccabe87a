import ArgumentParser
import BlockDevices
import DiskPreparation
import Foundation
import Fstab
import Glibc
import HostIO

/// `brickctl prepare DEVICE`: a bare disk becomes a mounted XFS brick.
struct PrepareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Partition, XFS-format, add to fstab by UUID and mount a disk as a Gluster brick.",
        discussion: """
            Safe to run twice: a prepared disk is left alone, and an interrupted run is completed \
            without formatting again. Refuses disks that hold anything unless --wipe is given; \
            --wipe never overrides a mounted, root, swap, busy or read-only disk.
            """
    )

    @Argument(help: "The whole disk, e.g. /dev/vdb.")
    var device: String

    @Flag(help: "Destroy existing signatures (filesystem, partition table, old filesystem at 1 MiB).")
    var wipe = false

    @Option(help: "XFS label, at most 12 characters (default: the first free brickN).")
    var label: String?

    @Option(help: "Where to mount (default: /data/glusterfs/LABEL).")
    var mountPoint: String?

    @Flag(help: "Show the plan and change nothing.")
    var dryRun = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @OptionGroup var fstabOption: FstabEditOption

    func run() throws {
        var preparer = fstabOption.preparer
        #if DEBUG
            // Test hooks (integration tests run the debug binary); a release build has none.
            preparer.crashAfter = ProcessInfo.processInfo.environment["BRICKCTL_TEST_CRASH_AFTER"]
            preparer.extraMountOptions = ProcessInfo.processInfo.environment["BRICKCTL_TEST_MOUNT_OPTIONS"]
        #endif
        let request = PrepareRequest(
            device: device, label: label, mountPoint: mountPoint, wipe: wipe, convention: .current)
        do {
            if dryRun {
                let plan = try preparer.plan(request)
                if json {
                    print(
                        try JSONOutput.encode(
                            PrepareJSON(plan: plan, status: plan.isNoOp ? "already-prepared" : "dry-run")))
                } else if plan.isNoOp {
                    print("\(device) is already brick \(plan.label): nothing to do")
                } else {
                    print("Plan for \(device) (brick \(plan.label) at \(plan.mountPoint)):")
                    for (i, step) in plan.steps.enumerated() { print("  \(i + 1). \(step)") }
                    print("Nothing was changed (--dry-run).")
                }
                return
            }
            let interactive = !json && isatty(STDOUT_FILENO) == 1
            let outcome = try preparer.run(
                request,
                started: { step, index, total in
                    if interactive {
                        print("  [\(index)/\(total)] \(step) ...", terminator: "")
                        fflush(nil)
                    }
                },
                finished: { report in
                    guard !json else { return }
                    let took = String(format: "%.2f s", report.seconds)
                    if interactive {
                        print(" done (\(took))")
                    } else {
                        print("  \(report.step) (\(took))")
                    }
                })
            if json {
                print(try JSONOutput.encode(PrepareJSON(outcome: outcome)))
            } else if outcome.steps.isEmpty {
                print(
                    "\(device) is already brick \(outcome.plan.label), mounted at \(outcome.plan.mountPoint): nothing to do"
                )
                print("brick: \(outcome.plan.brickDirectory)")
            } else {
                print(
                    "\(device) is now brick \(outcome.plan.label): \(outcome.partition ?? "?") (UUID \(outcome.uuid ?? "?")) mounted at \(outcome.plan.mountPoint)"
                )
                print("brick: \(outcome.plan.brickDirectory)")
            }
        } catch let refusal as PrepareRefusal {
            throw CommandFailure(refusal.commandLineText)
        } catch let error as DeviceLookupError {
            throw CommandFailure(error.commandLineText)
        }
    }
}

/// `brickctl prepare --json`.
struct PrepareJSON: Encodable {
    var status: String
    var device: String
    var label: String
    var mountPoint: String
    var brickDirectory: String
    @NullWhenAbsent var partition: String? = nil
    @NullWhenAbsent var uuid: String? = nil
    var steps: [Step]

    struct Step: Encodable {
        var name: String
        var description: String
        var seconds: Double?
        var detail: String?
    }

    init(plan: PreparePlan, status: String) {
        self.status = status
        device = plan.device
        label = plan.label
        mountPoint = plan.mountPoint
        brickDirectory = plan.brickDirectory
        steps = plan.steps.map { Step(name: $0.name, description: $0.description) }
    }

    init(outcome: Preparer.Outcome) {
        self.init(plan: outcome.plan, status: outcome.steps.isEmpty ? "already-prepared" : "prepared")
        partition = outcome.partition
        uuid = outcome.uuid
        steps = outcome.steps.map {
            Step(name: $0.step.name, description: $0.step.description, seconds: $0.seconds, detail: $0.detail)
        }
    }
}
