/// What `brick replace` will do for one brick of a volume, decided from what glusterd reports.
///
/// Pure: `volume info`, `volume status`, `volume heal … info summary` and the facts about the new
/// brick directory in, a plan (or the first refusal, with its facts) out. The phase makes it safe
/// to run twice: a replacement glusterd already committed resumes at the heal, and a healed one
/// is left alone.
public struct BrickReplacement: Hashable, Sendable {
    /// Where a replacement stands.
    public enum Phase: String, Hashable, Sendable, Codable {
        /// OLD is still a brick of the volume: replace it, then heal and verify.
        case replace
        /// NEW already took OLD's place (an earlier run was interrupted): heal and verify.
        case heal
        /// NEW took OLD's place and nothing is pending: nothing to do.
        case done
    }

    /// A finding that does not stop the replacement but belongs in the plan.
    public enum Note: Hashable, Sendable {
        /// `--force` overrode this refusal.
        case forced(BrickReplacementRefusal)
        /// NEW is on another host: brickctl cannot look at its directory; glusterd checks it.
        case newDirectoryUnchecked(host: String)
        /// OLD is offline (the usual case: its disk died).
        case oldOffline
    }

    public var volume: String
    public var old: BrickAddress
    public var new: BrickAddress
    /// Index of OLD's replica set (`VOLUME-replicate-N` in the client graph).
    public var setIndex: Int
    /// The set as it is now (OLD in it, or NEW when already replaced).
    public var set: [BrickAddress]
    /// The set after the replacement.
    public var setAfter: [BrickAddress]
    public var phase: Phase
    public var notes: [Note]

    /// `gluster volume replace-brick` arguments (for `.replace`).
    public var replaceArguments: [String] {
        ["volume", "replace-brick", volume, old.description, new.description, "commit", "force"]
    }

    /// What is known about the new brick directory, observed on its host before the plan.
    public enum NewDirectory: Hashable, Sendable {
        /// Not on this host: glusterd checks it when the replacement runs.
        case unchecked
        /// Does not exist yet (glusterd creates it) or is an empty directory; `onBrickDisk` is
        /// false when it would be on the root filesystem (not on a disk of its own).
        case usable(onBrickDisk: Bool)
        /// Holds files or directories (their count).
        case notEmpty(entries: Int)
        /// Carries a volume's attributes (`trusted.glusterfs.volume-id`): a brick before.
        case formerBrick
        /// Exists and is not a directory.
        case notADirectory
    }

    /// Decides the replacement of `old` by `new` in the volume `volume` describes.
    ///
    /// - Parameters:
    ///   - volume: `volume info NAME`; nil when there is no such volume (`name` names it).
    ///   - status: `volume status NAME`; nil when not started.
    ///   - heal: `volume heal NAME info summary`; nil when glfsheal could not answer.
    ///   - allVolumes: every volume of the pool (for "NEW already in a volume").
    ///   - poolHosts: names of the pool's hosts (this one by its name, not `localhost`); nil = unknown.
    ///   - newDirectory: what NEW's directory holds, when it is on this host.
    ///   - newAvailableBytes: bytes free on NEW's filesystem (or NEW's disk, prepared later); nil
    ///     when unknown (NEW on another host).
    ///   - usedBytes: each brick's filesystem used bytes (`volume status NAME detail`: total - free).
    ///   - force: override the refusals that only risk redundancy, not data.
    /// - Throws: the first `BrickReplacementRefusal` that applies.
    public static func plan(
        name: String, volume: VolumeInfo?, status: VolumeStatus?, heal: HealInfo?, allVolumes: [VolumeInfo],
        poolHosts: [String]?, old: BrickAddress, new: BrickAddress, newDirectory: NewDirectory,
        newAvailableBytes: UInt64? = nil, usedBytes: [BrickAddress: UInt64] = [:], force: Bool = false
    ) throws(BrickReplacementRefusal) -> BrickReplacement {
        guard let volume else { throw .unknownVolume(name) }
        guard volume.status == .started else { throw .volumeNotStarted(name, volume.status) }
        guard volume.replicaCount > 1 || volume.disperseCount > 0 else { throw .notReplicated(name) }
        let addresses = volume.bricks.map(\.address)
        let sets = volume.sets.map { $0.map(\.address) }

        // Already replaced (an earlier run): resume at the heal, or nothing to do.
        if !addresses.contains(old), let index = sets.firstIndex(where: { $0.contains(new) }) {
            let pending = heal.map { HealProgress(heal: $0, set: sets[index]) }
            let phase: Phase = pending?.isComplete == true ? .done : .heal
            return BrickReplacement(
                volume: name, old: old, new: new, setIndex: index, set: sets[index], setAfter: sets[index],
                phase: phase, notes: [])
        }
        guard let index = sets.firstIndex(where: { $0.contains(old) }) else {
            throw .oldNotInVolume(old, volume: name, bricks: addresses)
        }
        let set = sets[index]
        let setAfter = set.map { $0 == old ? new : $0 }
        var notes: [Note] = []

        // NEW must be new: not a brick of any volume.
        if let user = allVolumes.first(where: { $0.bricks.contains { $0.address == new } }) {
            throw .newAlreadyInVolume(new, volume: user.name)
        }
        if let poolHosts, !poolHosts.contains(new.host) {
            throw .newHostNotInPool(new.host, pool: poolHosts)
        }

        // The data: OLD may be replaced only when the other copies hold everything.
        let oldOnline = status?.brick(old)?.online ?? false
        if !oldOnline { notes.append(.oldOffline) }
        let dataBricks = volume.sets[index].filter { !$0.isArbiter }.map(\.address)
        let othersOnline = dataBricks.filter { $0 != old && status?.brick($0)?.online == true }
        if othersOnline.isEmpty {
            throw .lastGoodCopy(old, set: set)
        }
        if let heal {
            let inSet = heal.bricks.filter { set.contains($0.address) }
            let splitBrain = inSet.filter { ($0.splitBrain ?? 0) > 0 }
            if !splitBrain.isEmpty {
                throw .splitBrain(splitBrain.map { BrickCount(brick: $0.address, count: $0.splitBrain ?? 0) })
            }
            if oldOnline, let entries = inSet.first(where: { $0.address == old })?.entries, entries > 0 {
                throw .oldIsHealSource(old, entries: entries)
            }
        } else if oldOnline {
            throw .healUnknown(name)
        }

        // Where NEW goes.
        var overridable: [BrickReplacementRefusal] = []
        if let twin = set.first(where: { $0 != old && $0.host == new.host }) {
            overridable.append(.newOnHostOfCopy(new, copy: twin))
        }
        switch newDirectory {
        case .unchecked:
            notes.append(.newDirectoryUnchecked(host: new.host))
        case .usable(let onBrickDisk):
            if !onBrickDisk { overridable.append(.newOnRootFilesystem(new)) }
        case .notEmpty(let entries):
            throw .newNotEmpty(new, entries: entries)
        case .formerBrick:
            throw .newFormerBrick(new)
        case .notADirectory:
            throw .newNotADirectory(new)
        }
        // Room for what the other copies hold (their filesystems' used bytes, an upper bound).
        if let available = newAvailableBytes,
            let (copy, needed) = dataBricks.filter({ $0 != old }).compactMap({ brick in
                usedBytes[brick].map { (brick, $0) }
            }).max(by: { $0.1 < $1.1 }),
            available < needed
        {
            throw .newTooSmall(new, available: available, needed: needed, copy: copy)
        }
        if let first = overridable.first, !force { throw first }
        notes += overridable.map(Note.forced)
        return BrickReplacement(
            volume: name, old: old, new: new, setIndex: index, set: set, setAfter: setAfter, phase: .replace,
            notes: notes)
    }
}

/// A brick and a count (entries pending, in split-brain).
public struct BrickCount: Hashable, Sendable, Codable {
    public var brick: BrickAddress
    public var count: Int
}
