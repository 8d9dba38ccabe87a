import Gluster

extension VolumeLayoutError {
    /// What `brickctl volume create` says: the layout error in terms of its options.
    var commandLineDescription: String {
        switch self {
        case .invalid(let message):
            return message
        case .replicaBelowOne(let replica):
            return "--replica must be 1 or more (got \(replica))"
        case .arbiterNeedsReplicaTwo:
            return "--arbiter goes with --replica 2: two data bricks and one arbiter per replica set"
        case .chosenHostsNotWholeSets(let hosts, let setSize):
            return
                "--hosts names \(hosts) hosts: give a multiple of \(setSize) (one replica set per \(setSize) hosts)"
        case .setOnOneHost:
            return description + " (or pass --force)"
        }
    }
}
