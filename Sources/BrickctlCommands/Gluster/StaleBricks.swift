import Foundation
import Gluster

/// `volume status --stale`: offline bricks with how long they have been offline (from this host's
/// glustershd.log, see `BrickOutages`) and the `brick replace` command for those past the limit.
struct StaleBricks {
    var volume: VolumeInfo
    var status: VolumeStatus?
    var log: String? = BrickOutages.readLog()
    var now = Date()

    func lines(olderThan seconds: Double) -> [String] {
        guard volume.status == .started else { return [] }
        let since = log.map { BrickOutages.parse(log: $0, volume: volume.name) } ?? [:]
        var lines: [String] = []
        for (index, brick) in volume.bricks.enumerated() where status?.brick(brick.address)?.online != true {
            let old = brick.address
            guard let start = since[index] else {
                lines.append(
                    "  - \(old) is offline; since when is unknown here (this host's glustershd.log does not say: run `brickctl volume status \(volume.name)` on a host of the pool with a self-heal daemon)"
                )
                continue
            }
            let elapsed = Int(now.timeIntervalSince(start))
            let minutes = elapsed < 120 ? "\(elapsed) s" : "\(elapsed / 60) min"
            guard now.timeIntervalSince(start) >= seconds else {
                lines.append(
                    "  - \(old) offline for \(minutes) (at least): it may come back; the fix is shown once it is offline longer than --stale"
                )
                continue
            }
            lines.append(
                "  - \(old) offline for \(minutes) min (at least, since \(start) by glustershd.log): if its disk is dead, replace it: `brickctl brick replace \(volume.name) \(old) \(old.host):/dev/NEWDISK` (on \(old.host); or NEW as HOST:/path on a prepared disk), `--dry-run` first"
            )
        }
        return lines
    }
}
