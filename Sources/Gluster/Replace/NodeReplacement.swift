/// What `node replace OLD NEW` will do: every brick OLD holds, in every volume, goes to NEW (at
/// BRICK_ROOT plus the old brick's last path component, `…/brick/gv0`), each decided by
/// `BrickReplacement.plan` with the same refusals; then OLD leaves the pool. Pure.
///
/// OLD is usually unreachable: its bricks are then missing from `volume status` and count as
/// offline. Twice-safe: bricks already moved are planned as `.heal`/`.done` by `BrickReplacement`
/// (found by their NEW address), so a second run only waits and verifies.
public struct NodeReplacement: Hashable, Sendable {
    public var old: String
    public var new: String
    /// One per brick, in volume order.
    public var bricks: [BrickReplacement]

    /// The volumes touched, in order.
    public var volumes: [String] {
        var names: [String] = []
        for brick in bricks where !names.contains(brick.volume) { names.append(brick.volume) }
        return names
    }

    /// Plans the move of OLD's bricks to NEW.
    ///
    /// - Parameters:
    ///   - volumes: every volume of the pool (`volume info`).
    ///   - statuses, heals: per started volume (`volume status`, `volume heal … info summary`).
    ///   - pool: names of the pool's hosts (this one by its name).
    ///   - moved: bricks already on NEW from an earlier run, by volume (old address → new).
    /// - Throws: `NodeReplacementRefusal` for the first brick that may not move, naming it.
    public static func plan(
        old: String, new: String, volumes: [VolumeInfo], statuses: [String: VolumeStatus], heals: [String: HealInfo],
        pool: [String], brickRoot: String, force: Bool = false
    ) throws(NodeReplacementRefusal) -> NodeReplacement {
        guard old != new else { throw .sameHost(old) }
        guard pool.contains(new) else { throw .newNotInPool(new, pool: pool) }
        let root = brickRoot.hasSuffix("/") ? String(brickRoot.dropLast()) : brickRoot
        var bricks: [BrickReplacement] = []
        for volume in volumes {
            let ours = volume.bricks.map(\.address).filter { $0.host == old }
            for brick in ours {
                let leaf = brick.path.split(separator: "/").last.map(String.init) ?? volume.name
                let target = BrickAddress(host: new, path: "\(root)/\(leaf)")
                do {
                    bricks.append(
                        try BrickReplacement.plan(
                            name: volume.name, volume: volume, status: statuses[volume.name], heal: heals[volume.name],
                            allVolumes: volumes, poolHosts: pool, old: brick, new: target, newDirectory: .unchecked,
                            force: force))
                } catch {
                    throw .brick(volume: volume.name, brick, error)
                }
            }
        }
        return NodeReplacement(old: old, new: new, bricks: bricks)
    }

    /// Bricks a previous run already moved: NEW's bricks at BRICK_ROOT in volumes where OLD has
    /// none left (planned as heal/done so the second run waits and verifies).
    public static func resumed(
        old: String, new: String, volumes: [VolumeInfo], heals: [String: HealInfo], brickRoot: String
    ) -> [BrickReplacement] {
        let root = brickRoot.hasSuffix("/") ? String(brickRoot.dropLast()) : brickRoot
        var plans: [BrickReplacement] = []
        for volume in volumes where !volume.bricks.contains(where: { $0.address.host == old }) {
            let sets = volume.sets.map { $0.map(\.address) }
            for (index, set) in sets.enumerated() {
                for brick in set where brick.host == new && brick.path.hasPrefix(root + "/") {
                    let pending = heals[volume.name].map { HealProgress(heal: $0, set: set) }
                    plans.append(
                        BrickReplacement(
                            volume: volume.name, old: BrickAddress(host: old, path: brick.path), new: brick,
                            setIndex: index, set: set, setAfter: set,
                            phase: pending?.isComplete == true ? .done : .heal,
                            notes: []))
                }
            }
        }
        return plans
    }

    /// auth.allow after the move, edited as text: OLD's entries (its name and addresses) out,
    /// NEW's addresses in, every other entry as it was (host names too). It starts from the value
    /// read before `replace-brick` when there is one: glusterd's replace-brick appends the names
    /// of brick hosts itself (measured on 10.3: `…,n2,n4` appended to a list of addresses by a
    /// replace run on n1), which nobody asked for. nil: nothing to set (everyone may mount, or
    /// the list is so already).
    public static func authAllow(
        before: AuthAllow?, current: AuthAllow, removing old: [String], adding new: [String]
    ) -> AuthAllow? {
        let base = before ?? current
        guard !base.allowsEveryone, !current.allowsEveryone else { return nil }
        var entries = base.entries.filter { !old.contains($0) }
        for address in new where !entries.contains(address) { entries.append(address) }
        let wanted = AuthAllow(value: entries.joined(separator: ","))
        return wanted == current ? nil : wanted
    }

    /// A servers list (a plugin's, a mount's backup-volfile-servers) with OLD replaced by NEW at
    /// its place; OLD only dropped when NEW is listed already; unchanged without OLD.
    public static func servers(_ list: [String], replacing old: String, by new: String) -> [String] {
        guard list.contains(old) else { return list }
        if list.contains(new) { return list.filter { $0 != old } }
        return list.map { $0 == old ? new : $0 }
    }
}
