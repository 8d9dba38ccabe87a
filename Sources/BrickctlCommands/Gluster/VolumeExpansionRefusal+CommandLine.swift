import Gluster

extension VolumeExpansionRefusal {
    /// What `brickctl volume expand` says: the refusal and what to do, with its options.
    func commandLineDescription(volume: String) -> String {
        switch self {
        case .unknownVolume: return "\(description): see `brickctl volume list`"
        case .volumeNotStarted: return "\(description): `brickctl volume start \(volume)` first"
        case .disperseNotSupported: return description
        case .wrongHostCount(let given, let setSize):
            return
                "--hosts names \(given) host\(given == 1 ? "" : "s"): give \(setSize) (one brick per new copy or set member), or a multiple of \(setSize) for several new sets"
        case .hostNotInPool(let host, _): return "\(description): `brickctl peer probe \(host)` first"
        case .brickTwice: return "--hosts names a host twice"
        case .setOnOneHost: return "\(description). Choose other hosts, or pass --force to accept the risk"
        case .brickInUse(let brick, _):
            return "\(description): pass --brick-root with another brick directory on \(brick.host) (a second disk)"
        case .replicaNotSupported: return description
        }
    }
}
