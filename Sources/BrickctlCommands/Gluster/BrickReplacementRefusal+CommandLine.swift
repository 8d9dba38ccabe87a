import Gluster

extension BrickReplacementRefusal {
    /// What `brickctl brick replace VOLUME OLD NEW` says: the refusal and what to do, with commands.
    func commandLineDescription(volume: String, old: String, new: String) -> String {
        switch self {
        case .unknownVolume:
            return "\(description): see `brickctl volume list`"
        case .volumeNotStarted(let name, _):
            return "\(description): `brickctl volume start \(name)` first"
        case .notReplicated:
            return
                "\(description); copy the data off instead, or add copies first (`brickctl volume expand \(volume) --replica 2`)"
        case .oldNotInVolume:
            return "\(description): see `brickctl volume info \(volume)`"
        case .newAlreadyInVolume(let brick, let other):
            return
                "\(description): give a new directory (e.g. on another disk), or `brickctl brick reset \(brick.path)` on \(brick.host) once \(other) no longer uses it"
        case .newHostNotInPool(let host, _):
            return "\(description): `brickctl peer probe \(host)` first"
        case .lastGoodCopy:
            return
                "\(description). Bring another copy back online first (`brickctl volume start \(volume) --force` restarts dead brick processes; see `brickctl volume status \(volume)`)"
        case .splitBrain:
            return
                "\(description). Resolve it first (`gluster volume heal \(volume) info split-brain`, then `gluster volume heal \(volume) split-brain ...`), then run this again"
        case .oldIsHealSource:
            return
                "\(description). Let the heal finish first (`brickctl volume heal \(volume)`; watch `brickctl volume heal \(volume) --info`), or take the brick offline if its disk is failing, then run this again"
        case .healUnknown:
            return
                "\(description): check `brickctl volume heal \(volume) --info` and the self-heal daemons (`brickctl volume status \(volume)`), then run this again"
        case .newOnHostOfCopy:
            return "\(description). Choose a brick on another host, or pass --force to accept the risk"
        case .newOnRootFilesystem(let brick):
            return
                "\(description): run `brickctl prepare DEVICE` on \(brick.host) and put the brick under its brick directory (or give \(brick.host):/dev/DEVICE as NEW), or pass --force to use the root disk anyway"
        case .newNotEmpty(let brick, _):
            return "\(description): give an empty or new directory; nothing of \(brick.path) is touched"
        case .newFormerBrick(let brick):
            return
                "\(description): `brickctl brick reset \(brick.path)` on \(brick.host) if that volume is gone, or use another directory"
        case .newNotADirectory:
            return "\(description): give a directory (host:/path) or a bare disk (host:/dev/DEVICE)"
        case .newTooSmall(let brick, _, _, _):
            return
                "\(description). Give a larger disk on \(brick.host) (`brickctl disks` lists them), or free space on \(brick.path)'s filesystem first; nothing was changed"
        }
    }
}
