import Foundation
import Health

extension HealthProblem {
    /// One sentence for people: what is wrong and what it means.
    var sentence: String {
        let f = facts
        let volume = f.volume ?? "?"
        let brick = f.brick?.description ?? "?"
        let host = f.host ?? "?"
        func percent(_ fraction: Double?) -> String { String(format: "%.1f%%", (fraction ?? 0) * 100) }
        switch code {
        case .glusterdUnreachable:
            return "glusterd on this host does not answer\(f.detail.map { ": \($0)" } ?? "")"
        case .peerDisconnected:
            return "peer \(host) is disconnected: its bricks and glusterd are unreachable from here"
        case .peerNotInCluster:
            return "peer \(host) is connected but not a member (\(f.detail ?? "unknown state"))"
        case .volumeNotStarted:
            return "volume \(volume) is \(f.detail ?? "not started"): it serves no client"
        case .volumeNotReported:
            return "volume \(volume) is started but glusterd reported no status for it"
        case .setUnavailable:
            return
                "volume \(volume): set \(f.set ?? 0) has \(f.online ?? 0)/\(f.total ?? 0) bricks online and no copy of its files: they are unavailable"
        case .quorumLost:
            return
                "volume \(volume): set \(f.set ?? 0) lost quorum (\(f.online ?? 0)/\(f.total ?? 0) bricks online): writes to its files fail"
        case .brickOffline:
            return "brick \(brick) of \(volume) is offline"
        case .brickNotReported:
            return "brick \(brick) of \(volume) is not reported: glusterd on \(host) is unreachable"
        case .selfHealDaemonDown:
            return "the self-heal daemon on \(host) is not running for \(volume): nothing heals there"
        case .healsPending:
            let count = f.count ?? 0
            return "\(volume) has \(count) \(count == 1 ? "entry" : "entries") to heal: redundancy is not complete yet"
        case .splitBrain:
            return "\(volume) has \(f.count ?? 0) entries in split-brain: reading them fails until a copy is chosen"
        case .brickSpaceLow:
            return "brick \(brick) of \(volume) has \(percent(f.fraction)) space free"
        case .brickInodesLow:
            return "brick \(brick) of \(volume) has \(percent(f.fraction)) inodes free"
        case .pluginMountStale:
            return "the plugin's mount of \(volume) at \(f.file ?? "?") fails: \(f.detail ?? "error")"
        case .pluginMountForeign:
            return
                "\(f.file ?? "?") holds a \(f.detail ?? "foreign") mount, not the plugin's glusterfs mount of \(volume)"
        case .pluginNotListening:
            return "the volume plugin has state here but nothing listens on \(f.file ?? "its socket")"
        case .quotaNearlyFull:
            let owner =
                f.detail.map { "Docker volume \($0) (\(f.file ?? "?") of \(volume))" }
                ?? "\(f.file ?? "?") of \(volume)"
            return "\(owner) uses \(percent(f.fraction)) of its quota"
        case .swarmNodeNotReady:
            return "Swarm node \(host) is \(f.detail ?? "not ready")"
        case .serviceDown:
            return
                "service \(f.service ?? "?") of stack \(f.stack ?? "?") runs 0/\(f.total ?? 0) tasks\(f.detail.map { ": \($0)" } ?? "")"
        case .serviceDegraded:
            return
                "service \(f.service ?? "?") of stack \(f.stack ?? "?") runs \(f.online ?? 0)/\(f.total ?? 0) tasks\(f.detail.map { ": \($0)" } ?? "")"
        case .certificateExpiring:
            return "certificate \(f.file ?? "?") (\(f.detail ?? "")) expires in \(f.days ?? 0) days"
        case .certificateExpired:
            return "certificate \(f.file ?? "?") (\(f.detail ?? "")) has expired: TLS connections with it fail"
        case .backupTooOld:
            let hours = (f.ageSeconds ?? 0) / 3600
            return "stack \(f.stack ?? "?")'s newest good backup is \(hours) hours old"
        case .backupMissing:
            return "stack \(f.stack ?? "?") has no good backup yet"
        }
    }

    /// The command (or step) that fixes it.
    var fix: String {
        let f = facts
        let volume = f.volume ?? "VOLUME"
        let host = f.host ?? "HOST"
        switch code {
        case .glusterdUnreachable:
            return "systemctl start glusterd (then brickctl status)"
        case .peerDisconnected:
            return
                "start glusterd on \(host) (systemctl start glusterd) and check the network; brickctl peer list. If \(host) is gone for good: brickctl peer probe NEW, then brickctl node replace \(host) NEW"
        case .peerNotInCluster:
            return "brickctl peer probe \(host) (see brickctl peer list)"
        case .volumeNotStarted, .volumeNotReported:
            return "brickctl volume start \(volume)"
        case .setUnavailable, .brickOffline, .selfHealDaemonDown:
            return "brickctl volume start \(volume) --force"
        case .quorumLost:
            return "bring its bricks back: brickctl volume start \(volume) --force"
        case .brickNotReported:
            return "start glusterd on \(host) (systemctl start glusterd)"
        case .healsPending:
            return "brickctl volume heal \(volume) (progress: brickctl volume heal \(volume) --info)"
        case .splitBrain:
            return
                "brickctl volume heal \(volume) --info, then gluster volume heal \(volume) split-brain latest-mtime FILE"
        case .brickSpaceLow:
            return
                "free space or grow the disk under \(f.brick?.path ?? "the brick") on \(host); brickctl volume df \(volume)"
        case .brickInodesLow:
            return "remove files or grow the filesystem under \(f.brick?.path ?? "the brick") on \(host)"
        case .pluginMountStale:
            return "stop the containers using it, then systemctl restart brickctl-plugin (brickctl plugin status)"
        case .pluginMountForeign:
            return "umount \(f.file ?? "it") (brickctl plugin status)"
        case .pluginNotListening:
            return "systemctl start brickctl-plugin (or brickctl plugin install)"
        case .quotaNearlyFull:
            return "remove files, or raise it: gluster volume quota \(volume) limit-usage \(f.file ?? "DIRECTORY") SIZE"
        case .swarmNodeNotReady:
            return "start Docker on \(host), or docker node rm \(host)"
        case .serviceDown, .serviceDegraded:
            let stack = f.stack ?? "STACK"
            return "docker service ps \(stack)_\(f.service ?? "SERVICE") --no-trunc (brickctl swarm check)"
        case .certificateExpiring, .certificateExpired:
            return "brickctl tls issue HOST, then brickctl tls install BUNDLE on that host"
        case .backupTooOld, .backupMissing:
            return "docker service logs \(f.stack ?? "STACK")_backup"
        }
    }
}
