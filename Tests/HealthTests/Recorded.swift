import Foundation
import Gluster
import Health

/// The gluster `--xml` answers recorded from the lab for GlusterTests (Tests/GlusterTests/Fixtures,
/// see its README), read in place: one copy of the recordings.
enum Recorded {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("GlusterTests/Fixtures")

    static func envelope(_ name: String) throws -> CLIEnvelope {
        try CLIEnvelope(parsing: String(contentsOf: folder.appendingPathComponent(name + ".xml"), encoding: .utf8))
    }

    static func volume(_ fixture: String, _ name: String) throws -> VolumeInfo {
        guard let volume = try VolumeInfo.list(from: envelope(fixture)).first(where: { $0.name == name }) else {
            throw Missing(what: "\(name) in \(fixture)")
        }
        return volume
    }

    static func status(_ fixture: String) throws -> VolumeStatus {
        guard let status = try VolumeStatus.list(from: envelope(fixture)).first else {
            throw Missing(what: "a volume in \(fixture)")
        }
        return status
    }

    static func heal(_ fixture: String) throws -> HealInfo { try HealInfo.decode(from: envelope(fixture)) }

    static func peers(_ fixture: String) throws -> [Peer] { try Peer.pool(from: envelope(fixture)) }

    struct Missing: Error { var what: String }

    static let root = "/data/glusterfs/brick1/brick"

    /// gv0 (replica 3 on n1..n3), all online, nothing to heal, with its bricks' disks; pool of 3.
    static func healthyPool() throws -> GlusterObservation {
        GlusterObservation(
            peers: try peers("pool-list"),
            volumes: [
                VolumeObservation(
                    info: try volume("volume-info-started", "gv0"), status: try status("volume-status-started"),
                    heal: try heal("heal-info-summary-clean"), detail: try status("volume-status-started-detail"))
            ],
            managementTLS: false)
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_000)
}
