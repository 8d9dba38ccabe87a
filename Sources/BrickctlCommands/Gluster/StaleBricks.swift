import Foundation
import Gluster

/// `volume status --stale`: offline bricks with how long they have been offline (from this host's
/// glustershd.log, see `BrickOutages`) and the `brick replace` command for those past the limit.
struct StaleBricks {
    var volume: VolumeInfo
    var status: VolumeStatus?
    var log: String? = BrickOutages.readLog()
    var now = Date()

    /// One offline brick, as `--json` shows it (`offlineBricks`).
    struct Entry: Encodable, Equatable {
        var brick: String
        /// When glustershd.log saw it go (nil: this host's log does not say).
        var offlineSince: Date?
        var offlineSeconds: Int?
        /// Offline longer than `--stale`.
        var stale: Bool
        /// The command that replaces it, once it is stale.
        var replaceCommand: String?

        enum Key: String, CodingKey { case brick, offlineSince, offlineSeconds, stale, replaceCommand }

        /// `offlineSince` as ISO 8601 (UTC), nulls written out.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(brick, forKey: .brick)
            try c.encode(offlineSince.map { ISO8601DateFormatter().string(from: $0) }, forKey: .offlineSince)
            try c.encode(offlineSeconds, forKey: .offlineSeconds)
            try c.encode(stale, forKey: .stale)
            try c.encode(replaceCommand, forKey: .replaceCommand)
        }
    }

    func entries(olderThan seconds: Double) -> [Entry] {
        guard volume.status == .started else { return [] }
        let since = log.map { BrickOutages.parse(log: $0, volume: volume.name) } ?? [:]
        var entries: [Entry] = []
        for (index, brick) in volume.bricks.enumerated() where status?.brick(brick.address)?.online != true {
            let old = brick.address
            guard let start = since[index] else {
                entries.append(Entry(brick: old.description, stale: false))
                continue
            }
            let elapsed = now.timeIntervalSince(start)
            let stale = elapsed >= seconds
            entries.append(
                Entry(
                    brick: old.description, offlineSince: start, offlineSeconds: Int(elapsed), stale: stale,
                    replaceCommand: stale
                        ? "brickctl brick replace \(volume.name) \(old) \(old.host):/dev/NEWDISK" : nil
                ))
        }
        return entries
    }

    func lines(olderThan seconds: Double) -> [String] {
        entries(olderThan: seconds).map { entry in
            guard let start = entry.offlineSince, let elapsed = entry.offlineSeconds else {
                return
                    "  - \(entry.brick) is offline; since when is unknown here (this host's glustershd.log does not say: run `brickctl volume status \(volume.name)` on a host of the pool with a self-heal daemon)"
            }
            let duration = elapsed < 120 ? "\(elapsed) s" : "\(elapsed / 60) min"
            guard let command = entry.replaceCommand else {
                return
                    "  - \(entry.brick) offline for \(duration) (at least): it may come back; the fix is shown once it is offline longer than --stale"
            }
            let host = entry.brick.split(separator: ":").first.map(String.init) ?? ""
            return
                "  - \(entry.brick) offline for \(duration) (at least, since \(start) by glustershd.log): if its disk is dead, replace it: `\(command)` (on \(host); or NEW as HOST:/path on a prepared disk), `--dry-run` first; if \(host) itself is gone, `brickctl node replace \(host) NEW` moves all its bricks"
        }
    }
}
