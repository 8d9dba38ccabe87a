/// Which bricks a new volume gets, in the order `gluster volume create` takes them.
///
/// Pure. With bricks given, they are used as given (checked). Without, brickctl picks them by
/// convention: on each chosen host the brick directory of a disk `brickctl prepare` made, plus a
/// per-volume subdirectory (`/data/glusterfs/brick1/brick/NAME`). Replica sets always span
/// distinct hosts.
public struct VolumeLayout: Hashable, Sendable {
    public var name: String
    /// Data copies per replica set (1 = plain distribute).
    public var replica: Int
    /// One arbiter brick per replica set (metadata only), after the data bricks.
    public var arbiter: Bool
    public var bricks: [BrickAddress]

    /// Bricks per replica set: the data bricks plus the arbiter.
    public var setSize: Int { replica + (arbiter ? 1 : 0) }

    public var replicaSets: [[BrickAddress]] {
        stride(from: 0, to: bricks.count, by: setSize).map { Array(bricks[$0..<min($0 + setSize, bricks.count)]) }
    }

    /// `gluster volume create` arguments after the volume name (without `force`).
    public var createArguments: [String] {
        var args: [String] = []
        if arbiter {
            args += ["replica", String(setSize), "arbiter", "1"]
        } else if replica > 1 {
            args += ["replica", String(replica)]
        }
        return args + bricks.map(\.description)
    }

    /// What an operator must read before creating this volume, if anything.
    public var warnings: [VolumeLayoutWarning] {
        guard replica == 2 && !arbiter else { return [] }
        return [.replicaTwoCanSplitBrain]
    }

    /// Plans the bricks of volume `name`.
    ///
    /// - Parameters:
    ///   - hosts: the pool's hosts, this host first (or the `--hosts` the user chose).
    ///   - brickRoot: the brick directory on every host (`/data/glusterfs/brick1/brick`).
    ///   - bricks: bricks given on the command line; empty = pick by convention.
    ///   - hostsChosen: the user named the hosts: use them all (several replica sets if they are
    ///     a multiple of the set size). Otherwise one replica set on the first hosts of the pool.
    /// - Throws: `VolumeLayoutError` saying what to change.
    public static func plan(
        name: String, replica: Int, arbiter: Bool, hosts: [String], brickRoot: String, bricks: [BrickAddress] = [],
        hostsChosen: Bool = false, force: Bool = false
    ) throws(VolumeLayoutError) -> VolumeLayout {
        try validate(name: name)
        guard replica >= 1 else { throw .replicaBelowOne(replica) }
        if arbiter && replica != 2 { throw .arbiterNeedsReplicaTwo(replica: replica) }
        let setSize = replica + (arbiter ? 1 : 0)
        var chosen = bricks
        if chosen.isEmpty {
            var distinct: [String] = []
            for host in hosts where !distinct.contains(host) { distinct.append(host) }
            guard distinct.count >= setSize else {
                throw .tooFewHosts(setSize: setSize, pool: distinct)
            }
            if hostsChosen && distinct.count % setSize != 0 {
                throw .chosenHostsNotWholeSets(hosts: distinct.count, setSize: setSize)
            }
            let used = hostsChosen ? distinct : Array(distinct.prefix(setSize))
            let root = brickRoot.hasSuffix("/") ? String(brickRoot.dropLast()) : brickRoot
            chosen = used.map { BrickAddress(host: $0, path: "\(root)/\(name)") }
        }
        guard chosen.count % setSize == 0 else {
            throw .invalid(
                "\(chosen.count) bricks do not make whole replica sets of \(setSize): give a multiple of \(setSize)")
        }
        if Set(chosen).count != chosen.count {
            throw .invalid("a brick is given twice")
        }
        let layout = VolumeLayout(name: name, replica: replica, arbiter: arbiter, bricks: chosen)
        if !force {
            for set in layout.replicaSets where Set(set.map(\.host)).count != set.count {
                throw .setOnOneHost(set)
            }
        }
        return layout
    }

    /// Gluster's rules for volume names.
    public static func validate(name: String) throws(VolumeLayoutError) {
        guard (1...64).contains(name.utf8.count), !name.hasPrefix("-"),
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw .invalid(
                "volume name \"\(name)\" is not valid: use 1 to 64 letters, digits, '-' or '_', not starting with '-'")
        }
        if ["all", "help", "list", "info", "status"].contains(name.lowercased()) {
            throw .invalid("\"\(name)\" is a word the gluster CLI reserves: choose another volume name")
        }
    }
}

/// Why a volume cannot be laid out as asked.
///
/// `description` names no command-line option; `brickctl volume create` says the same with its
/// options (`--replica`, `--arbiter`, `--hosts`, `--force`).
public enum VolumeLayoutError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A rule broken, in words that hold for every front end (names, whole replica sets, hosts).
    case invalid(String)
    /// The replica count is below 1.
    case replicaBelowOne(Int)
    /// An arbiter was asked for with another replica count than 2.
    case arbiterNeedsReplicaTwo(replica: Int)
    /// The hosts the user chose do not make whole replica sets.
    case chosenHostsNotWholeSets(hosts: Int, setSize: Int)
    /// A replica set has two bricks on one host (allowed only when forced).
    case setOnOneHost([BrickAddress])
    /// The pool has fewer distinct hosts than one replica set needs.
    case tooFewHosts(setSize: Int, pool: [String])

    public var description: String {
        switch self {
        case .invalid(let message): return message
        case .replicaBelowOne(let replica): return "the replica count must be 1 or more (got \(replica))"
        case .arbiterNeedsReplicaTwo:
            return "an arbiter goes with replica 2: two data bricks and one arbiter per replica set"
        case .chosenHostsNotWholeSets(let hosts, let setSize):
            return
                "\(hosts) hosts were chosen: give a multiple of \(setSize) (one replica set per \(setSize) hosts)"
        case .setOnOneHost(let set):
            return
                "replica set \(set.map(\.description).joined(separator: " ")) has two bricks on one host: a host failure would lose both copies. Order the bricks so each set spans distinct hosts"
        case .tooFewHosts(let setSize, let pool):
            return
                "a replica set of \(setSize) bricks needs \(setSize) hosts, the pool has \(pool.count) (\(pool.joined(separator: ", "))): add hosts to the pool first"
        }
    }
}

/// What an operator must read before a volume of this layout is created.
public enum VolumeLayoutWarning: Hashable, Sendable, CustomStringConvertible {
    /// Two copies and no arbiter: a partition can leave two versions of a file that Gluster cannot choose between.
    case replicaTwoCanSplitBrain

    /// The danger alone, without the way around it.
    public var risk: String {
        switch self {
        case .replicaTwoCanSplitBrain:
            return "replica 2 without an arbiter can split-brain: when the two copies are written while cut "
                + "off from each other, Gluster cannot tell which is right and the file becomes "
                + "unreadable until you choose by hand."
        }
    }

    public var description: String {
        switch self {
        case .replicaTwoCanSplitBrain:
            return risk + " An arbiter (a third, metadata-only brick on another host) or a third copy avoids it."
        }
    }
}
