import Gluster

extension GlusterRefusal: CommandLineWorded {
    /// glusterd's refusal with its fix as brickctl commands.
    var commandLineText: String {
        guard let remedy else { return message }
        switch remedy {
        case .prepareDisk(let host):
            return
                "\(message): run `brickctl prepare DEVICE` on \(host) first, so the brick is on its own XFS disk (or pass --force to use the root disk anyway)"
        case .resetBrick(let path, let parentDirectory):
            return
                "\(message): run `brickctl brick reset \(path)` on the host that holds it, or \(parentDirectory ? "put the brick elsewhere" : "use another directory")"
        case .orderBricks:
            return "\(message) (or pass --force)"
        case .probePeer(let host):
            return "\(message): run `brickctl peer probe \(host)` first"
        case .checkVolumeStatus(let volume):
            return "\(message) (see `brickctl volume status \(volume)`)"
        case .deleteVolume(let volume):
            return volumeExists(volume)
        case .listVolumes:
            return "\(message): see `brickctl volume list`"
        case .stopVolume(let volume):
            return "volume \(volume) is started: `brickctl volume stop \(volume)` first (its clients lose access)"
        case .startVolume(let volume):
            return "\(message): `brickctl volume start \(volume)`"
        }
    }
}

extension GlusterCLIError: CommandLineWorded {
    /// The CLI failure, with glusterd's refusal worded by the command layer.
    var commandLineText: String {
        if case .refused(let refusal, _) = self { return refusal.commandLineText }
        return description
    }
}

extension VolumeCreationError: CommandLineWorded {
    var commandLineText: String {
        switch self {
        case .layout(let error): return error.commandLineDescription
        case .exists(let name): return volumeExists(name)
        case .gluster(let error): return error.commandLineText
        default: return description
        }
    }
}

private func volumeExists(_ name: String) -> String {
    "a volume named \(name) already exists: choose another name, or `brickctl volume delete \(name)`"
}
