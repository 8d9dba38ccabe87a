import ArgumentParser
import BlockDevices
import DiskPreparation
import Fstab

/// `brickctl release DEVICE|MOUNTPOINT`: undo prepare, keeping the data unless --wipe.
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Unmount a brick and remove its fstab line; the data stays unless --wipe.",
        discussion: "Refused while the brick belongs to a Gluster volume (its volume-id attribute, or glusterd's view)."
    )

    @Argument(help: "The brick's disk, partition or mount point.")
    var target: String

    @Flag(help: "Also erase the filesystem and the partition table (the data is lost).")
    var wipe = false

    @OptionGroup var fstabOption: FstabEditOption

    func run() async throws {
        let releaser = Releaser(preparer: fstabOption.preparer)
        let outcome = try await releaser.release(target, wipe: wipe)
        if let mountPoint = outcome.unmounted { print("unmounted \(mountPoint)") }
        print(
            "removed \(outcome.fstabLinesRemoved) line\(outcome.fstabLinesRemoved == 1 ? "" : "s") from \(fstabOption.fstab)"
        )
        if wipe {
            print("erased: \(outcome.wiped.isEmpty ? "nothing found" : outcome.wiped.joined(separator: ", "))")
        } else {
            print("\(outcome.device) keeps its data; `brickctl prepare \(outcome.device)` sets it up again")
        }
    }
}

/// `brickctl bricks ...`: operations on every brick of this host.
struct BricksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bricks",
        abstract: "Operations on all bricks of this host.",
        subcommands: [Activate.self]
    )

    /// `brickctl bricks activate`: at boot, re-add brick partitions (BLKPG) and mount them from fstab.
    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "activate",
            abstract: "Re-add brick partitions the kernel did not create and mount every brick fstab lists.",
            discussion: "Run at boot by scripts/systemd/brickctl-activate.service, before glusterd."
        )

        @Option(help: "The fstab to read (default: $BRICKCTL_FSTAB or /etc/fstab).")
        var fstab: String = FstabStore.defaultPath

        func run() async throws {
            let results = BrickActivation(preparer: Preparer(fstab: FstabStore(path: fstab), convention: .current))
                .activateAll()
            var failed = 0
            for result in results {
                if let error = result.error {
                    failed += 1
                    print("\(result.device): FAILED: \(commandLineText(for: error))")
                } else if let mountPoint = result.mountPoint {
                    let did = result.steps.isEmpty ? "already active" : result.steps.joined(separator: ", ")
                    print("\(result.device): \(mountPoint): \(did)")
                } else {
                    print("\(result.device): brick not in fstab (released): left alone")
                }
            }
            if results.isEmpty { print("no brickctl bricks on this host") }
            if failed > 0 { throw CommandFailure("\(failed) brick\(failed == 1 ? "" : "s") could not be activated") }
        }
    }
}
