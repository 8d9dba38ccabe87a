import Gluster

extension VolumeLayoutError: CommandLineWorded {
    var commandLineText: String { commandLineDescription }

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
        case .tooFewHosts(let setSize, let pool):
            return
                "a replica set of \(setSize) bricks needs \(setSize) hosts, the pool has \(pool.count) (\(pool.joined(separator: ", "))): run `brickctl peer probe HOST` first"
        }
    }
}

extension VolumeLayoutWarning {
    /// What `brickctl volume create` warns, naming the options that avoid it.
    var commandLineText: String {
        switch self {
        case .replicaTwoCanSplitBrain:
            return risk
                + " Use `--arbiter` (a third, metadata-only brick on another host) or `--replica 3` to avoid it."
        }
    }
}
