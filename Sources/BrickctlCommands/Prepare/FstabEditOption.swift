import ArgumentParser
import DiskPreparation
import Fstab

/// `--fstab` of the commands that edit it (`prepare`, `release`), and their `Preparer` of it.
struct FstabEditOption: ParsableArguments {
    @Option(help: "The fstab to edit (default: $BRICKCTL_FSTAB or /etc/fstab).")
    var fstab: String = FstabStore.defaultPath

    /// Prepares and releases bricks with this fstab and the host's brick convention.
    var preparer: Preparer { Preparer(fstab: FstabStore(path: fstab), convention: .current) }
}
