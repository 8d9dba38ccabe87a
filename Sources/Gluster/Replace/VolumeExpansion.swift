/// What `volume expand` will do: a new replica set (`--hosts`), or one more copy per set
/// (`--replica N`, or an arbiter turned into a full data brick). Pure: `volume info`, the pool
/// and the request in, a plan (or a refusal with its facts) out.
///
/// Safe to run twice: when the bricks it would add are already in the volume the plan has no
/// add step and only the follow-up (rebalance or heal) remains.
public struct VolumeExpansion: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// New replica sets: `add-brick` then a rebalance spreads the files over them.
        case addSets(count: Int)
        /// One more data copy per set: `add-brick replica N` then a full heal fills it.
        case raiseReplica(from: Int, to: Int)
        /// Each set's arbiter becomes a data brick: `remove-brick replica 2 ARBITER force`, then
        /// `add-brick replica 3 DATA`, then a full heal.
        case arbiterToData
    }

    public var volume: String
    public var kind: Kind
    /// The bricks to add, in `add-brick` order; empty when they are in the volume already.
    public var newBricks: [BrickAddress]
    /// Arbiter bricks to remove first (`arbiterToData` only).
    public var removedArbiters: [BrickAddress]
    /// The replica sets after the expansion.
    public var setsAfter: [[BrickAddress]]

    /// Nothing left to add (an earlier run did it): only the rebalance or heal remains.
    public var isAdded: Bool { newBricks.isEmpty }

    /// The gluster calls, in order (without the rebalance/heal that follows).
    public var glusterCalls: [[String]] {
        guard !newBricks.isEmpty else { return [] }
        switch kind {
        case .addSets:
            return [["volume", "add-brick", volume] + newBricks.map(\.description)]
        case .raiseReplica(_, let to):
            return [["volume", "add-brick", volume, "replica", String(to)] + newBricks.map(\.description)]
        case .arbiterToData:
            var calls: [[String]] = []
            if !removedArbiters.isEmpty {
                calls.append(
                    ["volume", "remove-brick", volume, "replica", "2"] + removedArbiters.map(\.description) + ["force"])
            }
            calls.append(["volume", "add-brick", volume, "replica", "3"] + newBricks.map(\.description))
            return calls
        }
    }

    /// Plans new replica sets on `hosts` (one brick each at `brickRoot/VOLUME`).
    ///
    /// - Throws: `VolumeExpansionRefusal`.
    public static func addSets(
        name: String, volume: VolumeInfo?, allVolumes: [VolumeInfo], pool: [String], hosts: [String],
        brickRoot: String, force: Bool = false
    ) throws(VolumeExpansionRefusal) -> VolumeExpansion {
        let volume = try check(name, volume)
        let setSize = volume.setSize
        guard volume.disperseCount == 0 else { throw .disperseNotSupported(name) }
        guard !hosts.isEmpty, hosts.count % setSize == 0 else {
            throw .wrongHostCount(given: hosts.count, setSize: setSize)
        }
        for host in hosts where !pool.contains(host) { throw .hostNotInPool(host, pool: pool) }
        let root = brickRoot.hasSuffix("/") ? String(brickRoot.dropLast()) : brickRoot
        let bricks = hosts.map { BrickAddress(host: $0, path: "\(root)/\(name)") }
        guard Set(bricks).count == bricks.count else { throw .brickTwice }
        let sets = stride(from: 0, to: bricks.count, by: setSize).map { Array(bricks[$0..<$0 + setSize]) }
        if !force {
            for set in sets where Set(set.map(\.host)).count != set.count { throw .setOnOneHost(set) }
        }
        let present = volume.bricks.map(\.address)
        if bricks.allSatisfy(present.contains) {
            return VolumeExpansion(
                volume: name, kind: .addSets(count: sets.count), newBricks: [], removedArbiters: [],
                setsAfter: volume.sets.map { $0.map(\.address) })
        }
        for brick in bricks {
            if let user = allVolumes.first(where: { $0.bricks.contains { $0.address == brick } }) {
                throw .brickInUse(brick, volume: user.name)
            }
        }
        return VolumeExpansion(
            volume: name, kind: .addSets(count: sets.count), newBricks: bricks, removedArbiters: [],
            setsAfter: volume.sets.map { $0.map(\.address) } + sets)
    }

    /// Plans one more data copy in every set: replica 2 → 3 (one new brick per set on `hosts`,
    /// in set order), or, for `replica 3 arbiter 1`, each arbiter replaced by a data brick.
    ///
    /// - Throws: `VolumeExpansionRefusal`.
    public static func raiseReplica(
        name: String, volume: VolumeInfo?, allVolumes: [VolumeInfo], pool: [String], to replica: Int,
        hosts: [String], brickRoot: String, force: Bool = false
    ) throws(VolumeExpansionRefusal) -> VolumeExpansion {
        let volume = try check(name, volume)
        guard volume.disperseCount == 0 else { throw .disperseNotSupported(name) }
        let current = volume.replicaCount
        let arbiter = volume.arbiterCount > 0
        let sets = volume.sets.map { $0.map(\.address) }
        let root = brickRoot.hasSuffix("/") ? String(brickRoot.dropLast()) : brickRoot

        // Done already? (twice-safe): the replica count reached and no arbiter left.
        if replica == current && !arbiter {
            return VolumeExpansion(
                volume: name, kind: .raiseReplica(from: current, to: replica), newBricks: [], removedArbiters: [],
                setsAfter: sets)
        }
        if arbiter {
            guard replica == 3, current == 3 else {
                throw .replicaNotSupported(from: current, to: replica, arbiter: true)
            }
        } else {
            guard replica == current + 1, current >= 1, replica <= 3 else {
                throw .replicaNotSupported(from: current, to: replica, arbiter: false)
            }
        }
        guard hosts.count == sets.count else { throw .wrongHostCount(given: hosts.count, setSize: sets.count) }
        for host in hosts where !pool.contains(host) { throw .hostNotInPool(host, pool: pool) }
        let bricks = hosts.map { BrickAddress(host: $0, path: "\(root)/\(name)") }
        guard Set(bricks).count == bricks.count else { throw .brickTwice }
        var arbiters: [BrickAddress] = []
        var after: [[BrickAddress]] = []
        for (set, brick) in zip(volume.sets, bricks) {
            let kept = arbiter ? set.filter { !$0.isArbiter }.map(\.address) : set.map(\.address)
            if arbiter { arbiters += set.filter(\.isArbiter).map(\.address) }
            let newSet = kept + [brick]
            if !force && Set(newSet.map(\.host)).count != newSet.count { throw .setOnOneHost(newSet) }
            after.append(newSet)
        }
        for brick in bricks {
            if let user = allVolumes.first(where: { $0.bricks.contains { $0.address == brick } }) {
                throw .brickInUse(brick, volume: user.name)
            }
        }
        return VolumeExpansion(
            volume: name, kind: arbiter ? .arbiterToData : .raiseReplica(from: current, to: replica), newBricks: bricks,
            removedArbiters: arbiters, setsAfter: after)
    }

    private static func check(_ name: String, _ volume: VolumeInfo?) throws(VolumeExpansionRefusal) -> VolumeInfo {
        guard let volume else { throw .unknownVolume(name) }
        guard volume.status == .started else { throw .volumeNotStarted(name, volume.status) }
        return volume
    }
}
