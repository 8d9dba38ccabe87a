import ArgumentParser
import Foundation
import Gluster
import GlusterTLS
import Health
import HostIO
import Stack

/// `brickctl status`: the whole site on one screen, with a verdict and an exit code for scripts.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "The whole site on one screen: nodes, volumes and bricks with a verdict, heals, plugin mounts, stack tasks, certificates.",
        discussion: """
            Reads what this host sees: the pool (if glusterd runs here), the plugin's state (if it \
            has any here), the Swarm (if a manager answers here) and the pool's TLS files. Each \
            problem comes with the command that fixes it.

            Exit code: 0 healthy, 1 degraded, 2 broken. A usage error also exits 2 (argument \
            parsing): it prints `Usage:` on stderr and nothing on stdout, while a verdict always \
            prints the report on stdout (with --json, one JSON document with "exitCode").
            """)

    @OptionGroup var output: JSONFlag
    @OptionGroup var sources: SiteReadOptions

    func run() async throws {
        let reader = sources.reader
        guard let (site, _) = await reader.read(on: .shared) else {
            throw CommandFailure(
                "reading the site did not finish within 600 s (a hung glusterd or docker?)", exitCode: 2)
        }
        let health = SiteHealth.assess(site)
        if output.json {
            print(try JSONOutput.encode(StatusReport(site: site, health: health)))
        } else {
            print(Self.text(site: site, health: health), terminator: "")
        }
        if health.verdict != .healthy {
            let count = health.problems.count
            throw CommandFailure(
                "\(health.verdict.rawValue): \(count) problem\(count == 1 ? "" : "s") (exit \(health.verdict.exitCode))",
                exitCode: health.verdict.exitCode)
        }
    }

    /// The screen.
    static func text(site: SiteObservation, health: SiteHealth) -> String {
        var out = "\(site.host): \(health.verdict.rawValue.uppercased())\n"
        if site.gluster == nil && site.plugin == nil && site.swarm == nil {
            out += "this host runs no glusterd, has no volume plugin state and reaches no Swarm manager\n"
        }
        if let gluster = site.gluster {
            out += "\nPOOL\n"
            if let peers = gluster.peers {
                var table = TextTable(["HOST", "CONNECTED", "STATE"])
                for peer in peers {
                    table.add([
                        peer.isSelf ? "\(site.host) (this host)" : peer.hostname, peer.connected ? "yes" : "NO",
                        peer.state ?? "-",
                    ])
                }
                out += table.render()
            } else {
                out += "glusterd does not answer: \(gluster.error ?? "?")\n"
            }
            if !health.volumes.isEmpty {
                out += "\nVOLUMES\n"
                var table = TextTable(["VOLUME", "STATE", "TYPE", "BRICKS ONLINE", "TO HEAL", "SPLIT-BRAIN", "VERDICT"])
                for volume in health.volumes {
                    let online = volume.bricks.filter { $0.online == true }.count
                    table.add([
                        volume.name, volume.state.rawValue, volume.type, "\(online)/\(volume.bricks.count)",
                        volume.healPending.map(String.init) ?? "-", String(volume.splitBrain), volume.verdict.rawValue,
                    ])
                }
                out += table.render()
                out += "\nBRICKS\n"
                var bricks = TextTable([
                    "VOLUME", "BRICK", "ONLINE", "PID", "SPACE FREE", "INODES FREE", "TO HEAL", "VERDICT",
                ])
                for volume in health.volumes {
                    for brick in volume.bricks {
                        bricks.add([
                            volume.name, brick.address.description + (brick.isArbiter ? " (arbiter)" : ""),
                            brick.online.map { $0 ? "yes" : "NO" } ?? "-", brick.pid.map(String.init) ?? "-",
                            freeText(brick.bytesFree, of: brick.bytesTotal),
                            freeText(brick.inodesFree, of: brick.inodesTotal),
                            brick.healPending.map(String.init) ?? "-", brick.verdict.rawValue,
                        ])
                    }
                }
                out += bricks.render()
            }
        }
        if let plugin = site.plugin {
            out += "\nPLUGIN (\(plugin.socket): \(plugin.listening ? "listening" : "NOT listening"))\n"
            var table = TextTable(["GLUSTER VOLUME", "MOUNT", "STATE", "DOCKER VOLUMES (HOLDERS)"])
            for mount in plugin.mounts {
                let state: String
                switch mount.state {
                case .mounted: state = "mounted"
                case .notMounted: state = "not mounted"
                case .stale(let error): state = "STALE: \(error)"
                case .foreign(let type): state = "FOREIGN: \(type)"
                }
                let volumes = plugin.volumes.filter { $0.glusterVolume == mount.glusterVolume }
                    .map { "\($0.name) (\($0.holders))" }.joined(separator: ", ")
                table.add([mount.glusterVolume, mount.mountPoint, state, volumes.isEmpty ? "-" : volumes])
            }
            out += table.render()
        }
        if let swarm = site.swarm {
            out += "\nSWARM\n"
            var nodes = TextTable(["NODE", "ROLE", "STATE", "AVAILABILITY", "LABELS"])
            for node in swarm.nodes.sorted(by: { $0.hostname < $1.hostname }) {
                let labels = [node.isDatabase ? "database" : nil, node.isWordPress ? "wordpress" : nil].compactMap {
                    $0
                }
                nodes.add([
                    node.hostname, node.role, node.isReady ? node.state : node.state.uppercased(), node.availability,
                    labels.isEmpty ? "-" : labels.joined(separator: ","),
                ])
            }
            out += nodes.render()
            for stack in swarm.stacks.keys.sorted() {
                out += "\nSTACK \(stack)\n"
                var services = TextTable(["SERVICE", "TASKS", "ON"])
                for service in StackServiceTasks.services(stack: stack, tasks: swarm.stacks[stack] ?? []) {
                    services.add([
                        service.name, "\(service.running)/\(service.wanted)",
                        service.nodes.isEmpty ? "-" : service.nodes.joined(separator: ", "),
                    ])
                }
                out += services.render()
            }
        }
        if !site.certificates.isEmpty {
            out += "\nCERTIFICATES\n"
            var table = TextTable(["FILE", "SUBJECT", "EXPIRES", "DAYS LEFT"])
            for certificate in site.certificates {
                let days = Int((certificate.notAfter.timeIntervalSince(site.now) / 86_400).rounded(.down))
                table.add([
                    certificate.file, certificate.subject, TLSStatusRow.day(certificate.notAfter),
                    days < 0 ? "EXPIRED" : String(days),
                ])
            }
            out += table.render()
        }
        for backup in site.backups {
            out += "\nbackup of \(backup.stack): " + Self.backupLine(backup, now: site.now) + "\n"
        }
        if health.problems.isEmpty {
            out += "\nno problems\n"
        } else {
            out += "\nPROBLEMS\n"
            for problem in health.problems {
                out += "  [\(problem.severity.rawValue)] \(problem.sentence)\n      fix: \(problem.fix)\n"
            }
        }
        return out
    }

    /// "newest good dump wordpress-….sql.zst, 2 h 5 min old (2026-12-07 00:30 UTC); last attempt failed: …".
    static func backupLine(_ backup: BackupObservation, now: Date) -> String {
        var line: String
        if let newest = backup.newestGoodDump, let age = backup.age(at: now) {
            line =
                "newest good dump \(backup.file.map { "\($0), " } ?? "")\(ageText(age)) old (\(DateFormatter.utc("yyyy-MM-dd HH:mm").string(from: newest)) UTC)"
        } else {
            line = "no good dump yet"
        }
        if backup.lastAttemptOk == false {
            line += "; last attempt failed" + (backup.lastError.map { ": \($0)" } ?? "")
        }
        return line
    }

    /// "45 s", "12 min", "3 h 5 min", "2 d 4 h".
    static func ageText(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86_400 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 86_400) d \(s % 86_400 / 3600) h"
    }

    static func freeText(_ free: UInt64?, of total: UInt64?) -> String {
        guard let free, let total, total > 0 else { return "-" }
        return String(format: "%.0f%%", Double(free) / Double(total) * 100)
    }
}

/// `brickctl status --json`: a stable shape (every key present).
struct StatusReport: Encodable {
    var site: SiteObservation
    var health: SiteHealth

    struct Problem: Encodable {
        var code: String
        var severity: String
        var facts: HealthProblem.Facts
        var message: String
        var fix: String
    }

    struct Service: Encodable {
        var stack: String
        var service: StackServiceTasks
    }

    struct Node: Encodable {
        var hostname: String
        var role: String
        var state: String
        var availability: String
        var labels: [String: String]
    }

    struct Certificate: Encodable {
        var file: String
        var subject: String
        var expires: String
        var daysLeft: Int
    }

    enum Key: String, CodingKey {
        case host, verdict, exitCode, glusterdUp, glusterdError, peers, volumes, plugin, swarmNodes, services,
            certificates, backups, problems
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(site.host, forKey: .host)
        try c.encode(health.verdict, forKey: .verdict)
        try c.encode(health.verdict.exitCode, forKey: .exitCode)
        try c.encode(site.gluster.map(\.glusterdUp), forKey: .glusterdUp)
        try c.encode(site.gluster?.error, forKey: .glusterdError)
        try c.encode(site.gluster?.peers ?? [], forKey: .peers)
        try c.encode(health.volumes, forKey: .volumes)
        if let plugin = site.plugin {
            struct Plugin: Encodable {
                var socket: String
                var listening: Bool
                var mounts: [PluginObservation.Mount]
                var volumes: [PluginObservation.Volume]
            }
            try c.encode(
                Plugin(
                    socket: plugin.socket, listening: plugin.listening, mounts: plugin.mounts, volumes: plugin.volumes),
                forKey: .plugin)
        } else {
            try c.encodeNil(forKey: .plugin)
        }
        try c.encode(
            (site.swarm?.nodes ?? []).map {
                Node(
                    hostname: $0.hostname, role: $0.role, state: $0.state, availability: $0.availability,
                    labels: $0.labels)
            }, forKey: .swarmNodes)
        var services: [Service] = []
        for stack in (site.swarm?.stacks.keys.sorted() ?? []) {
            services += StackServiceTasks.services(stack: stack, tasks: site.swarm?.stacks[stack] ?? []).map {
                Service(stack: stack, service: $0)
            }
        }
        try c.encode(services, forKey: .services)
        try c.encode(
            site.certificates.map {
                Certificate(
                    file: $0.file, subject: $0.subject, expires: TLSStatusRow.day($0.notAfter),
                    daysLeft: Int(($0.notAfter.timeIntervalSince(site.now) / 86_400).rounded(.down)))
            }, forKey: .certificates)
        try c.encode(site.backups, forKey: .backups)
        try c.encode(
            health.problems.map {
                Problem(
                    code: $0.code.rawValue, severity: $0.severity.rawValue, facts: $0.facts, message: $0.sentence,
                    fix: $0.fix)
            }, forKey: .problems)
    }
}
