/// A one-line verdict on a volume: can clients use it, and is it fully redundant?
///
/// Pure: computed from `gluster volume info`, `volume status` and (optionally) `volume heal info`.
public struct VolumeHealth: Hashable, Sendable, Codable {
    public enum Verdict: String, Hashable, Sendable, Codable {
        /// Every brick online, self-heal running everywhere it should, nothing to heal.
        case healthy
        /// Data is available but redundancy is reduced, writes may be refused, or heals are pending.
        case degraded
        /// Some data is unavailable: a replica (or disperse) set lost all (too many) bricks, or the
        /// volume is not started.
        case down
    }

    public var verdict: Verdict
    /// One line for people, starting with the verdict: "healthy: 3/3 bricks online, self-heal
    /// running on 3 hosts, 0 entries to heal".
    public var summary: String
    /// Each reason the verdict is not `healthy`, worst first.
    public var problems: [String] = []

    /// Judges a volume.
    ///
    /// The rules:
    /// - not started (or no status) → down.
    /// - a set without a brick that holds data → down: replicate: no online data brick (an arbiter
    ///   holds no file contents); disperse: fewer than `disperseCount - redundancyCount` online;
    ///   plain distribute: the brick is offline.
    /// - otherwise degraded if any brick is offline or not reported (its glusterd is unreachable),
    ///   a replica set lost client quorum (`cluster.quorum-type` auto, the default from replica 3
    ///   on: more than half of the set online, or exactly half including its first brick) so
    ///   writes fail, the self-heal daemon is offline or not reported on a host that holds a
    ///   brick, or heal info lists entries.
    /// - otherwise healthy.
    public static func assess(volume: VolumeInfo, status: VolumeStatus?, heal: HealInfo? = nil) -> VolumeHealth {
        guard volume.status == .started, let status else {
            let why =
                volume.status == .started
                ? "glusterd reported no status for it" : "it is \(volume.status.rawValue), not started"
            let problem = "volume \(volume.name) is not serving clients: \(why)"
            return VolumeHealth(verdict: .down, summary: "down: \(problem)", problems: [problem])
        }
        let replicated = volume.disperseCount == 0 && volume.replicaCount > 1
        let dispersed = volume.disperseCount > 0
        func online(_ brick: VolumeInfo.Brick) -> Bool { status.brick(brick.address)?.online ?? false }

        var fatal: [String] = []
        var serious: [String] = []
        for (index, set) in volume.sets.enumerated() {
            let up = set.filter(online)
            let label = volume.sets.count > 1 ? "replica set \(index + 1)" : "the replica set"
            if dispersed {
                let needed = volume.disperseCount - volume.redundancyCount
                if up.count < needed {
                    let setLabel = volume.sets.count > 1 ? "disperse set \(index + 1)" : "the disperse set"
                    fatal.append(
                        "\(setLabel) has \(up.count)/\(set.count) bricks online, needs \(needed): its files are unavailable"
                    )
                }
            } else if replicated {
                if !up.contains(where: { !$0.isArbiter }) {
                    let note = up.isEmpty ? "" : " (only the arbiter, which holds no file contents)"
                    fatal.append("\(label) has no data brick online\(note): its files are unavailable")
                } else if !hasQuorum(set: set, online: online, volume: volume) {
                    serious.append(
                        "\(label) lost quorum (\(up.count)/\(set.count) bricks online): writes to its files fail")
                }
            } else if let brick = set.first, !online(brick) {
                fatal.append("brick \(brick.address) is offline: the files it holds are unavailable")
            }
        }

        let offline = volume.bricks.filter { status.brick($0.address).map { !$0.online } ?? false }.map(\.address)
        let unreported = volume.bricks.filter { status.brick($0.address) == nil }.map(\.address)
        let onlineCount = volume.bricks.count - offline.count - unreported.count
        var brickPart = "\(onlineCount)/\(volume.bricks.count) bricks online"
        var notes: [String] = []
        if !offline.isEmpty { notes.append("offline: \(list(offline))") }
        if !unreported.isEmpty { notes.append("not reported, glusterd unreachable: \(list(unreported))") }
        if !notes.isEmpty { brickPart += " (\(notes.joined(separator: "; ")))" }
        var minor: [String] = []
        if !offline.isEmpty { minor.append("\(offline.count) brick(s) offline: \(list(offline))") }
        if !unreported.isEmpty {
            minor.append(
                "\(unreported.count) brick(s) not reported (their glusterd is unreachable): \(list(unreported))")
        }

        var parts = [brickPart]
        if replicated || dispersed {
            // One self-heal daemon per host that holds a brick, matched by glusterd UUID.
            var hosts: [(uuid: String, name: String)] = []
            for brick in volume.bricks where !hosts.contains(where: { $0.uuid == brick.hostUUID }) {
                hosts.append((brick.hostUUID, brick.address.host))
            }
            let running = hosts.filter { host in
                status.selfHealDaemons.contains { $0.hostUUID == host.uuid && $0.online }
            }
            let missing = hosts.filter { host in !running.contains { $0.uuid == host.uuid } }.map(\.name)
            var shdPart = "self-heal running on \(running.count) host\(running.count == 1 ? "" : "s")"
            if !missing.isEmpty {
                shdPart += " (not on \(missing.joined(separator: ", ")))"
                minor.append(
                    "self-heal daemon not running (or not reported) on \(missing.joined(separator: ", ")): nothing heals there"
                )
            }
            parts.append(shdPart)
        }
        if let heal {
            var healPart = "\(heal.total) \(heal.total == 1 ? "entry" : "entries") to heal"
            let unknown = heal.unknown.filter { !offline.contains($0) && !unreported.contains($0) }
            if !unknown.isEmpty { healPart += " (unknown on \(list(unknown)))" }
            parts.append(healPart)
            if heal.total > 0 {
                minor.append(
                    "\(heal.total) heal \(heal.total == 1 ? "entry" : "entries") pending: redundancy is not complete until self-heal catches up"
                )
            }
            if heal.splitBrain > 0 {
                serious.insert(
                    "\(heal.splitBrain) entries in split-brain: choose the good copy (`gluster volume heal \(volume.name) split-brain …`)",
                    at: 0)
            }
            if !unknown.isEmpty { minor.append("heal entries unknown on \(list(unknown))") }
        }

        let problems = fatal + serious + minor
        let verdict: Verdict = !fatal.isEmpty ? .down : problems.isEmpty ? .healthy : .degraded
        let lead = fatal + serious
        let summary =
            "\(verdict.rawValue): " + (lead.isEmpty ? "" : lead.joined(separator: "; ") + "; ")
            + parts.joined(separator: ", ")
        return VolumeHealth(verdict: verdict, summary: summary, problems: problems)
    }

    /// AFR client quorum for one replica set.
    public static func hasQuorum(set: [VolumeInfo.Brick], online: (VolumeInfo.Brick) -> Bool, volume: VolumeInfo)
        -> Bool
    {
        let type = volume.option("cluster.quorum-type") ?? (volume.replicaCount >= 3 ? "auto" : "none")
        let up = set.filter(online).count
        switch type {
        case "auto":
            return up * 2 > set.count || (up * 2 == set.count && set.first.map(online) == true)
        case "fixed":
            let count = volume.option("cluster.quorum-count").flatMap { Int($0) } ?? 1
            return up >= count
        default:
            return true
        }
    }

    static func list(_ addresses: [BrickAddress]) -> String {
        let shown = addresses.prefix(3).map(\.description).joined(separator: ", ")
        return addresses.count > 3 ? "\(shown) and \(addresses.count - 3) more" : shown
    }
}
