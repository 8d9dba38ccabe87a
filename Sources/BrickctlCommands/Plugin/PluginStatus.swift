import Foundation
import Glibc
import HostIO
import VolumePlugin

/// What `brickctl plugin status` shows, read from the plugin's state file, mountinfo and socket.
struct PluginStatus: Encodable {
    struct Mount: Encodable {
        var glusterVolume: String
        var mountPoint: String
        /// mounted | not mounted | stale: ERROR | foreign: TYPE
        var health: String
    }
    struct Volume: Encodable {
        var name: String
        var type: String
        var glusterVolume: String?
        var directory: String
        var options: String
        var holders: [String: Int]
        var createdOn: String
    }
    var socket: String
    var socketListening: Bool
    var servers: [String]
    var defaultVolume: String?
    var stateDirectory: String
    var mounts: [Mount]
    var volumes: [Volume]

    static func read(_ configuration: PluginConfiguration) throws -> PluginStatus {
        let saved = try FileManager.default.contents(atPath: configuration.stateFile).map { try PluginState(json: $0) }
        let bootID = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let state = PluginState.restored(
            saved: saved, references: FileManager.default.contents(atPath: configuration.referencesFile), boot: bootID
        ).state
        let mountinfo = ProcFile.read("/proc/self/mountinfo") ?? ""
        let glusterVolumes = Set(
            state.volumes.values.compactMap(\.glusterVolume) + [configuration.volume].compactMap { $0 }
        ).sorted()
        let mounts = glusterVolumes.map { gluster -> Mount in
            let point = configuration.mountPoint(of: gluster)
            let line = mountinfo.split(separator: "\n").last {
                $0.split(separator: " ").count > 4 && $0.split(separator: " ")[4] == point
            }
            var health = "not mounted"
            if let line {
                let fields = line.split(separator: " ")
                let type = fields.firstIndex(of: "-").map { fields[$0 + 1] } ?? "?"
                if type != "fuse.glusterfs" {
                    health = "foreign: \(type)"
                } else {
                    var st = stat()
                    health = stat(point, &st) == 0 ? "mounted" : "stale: \(String(cString: strerror(errno)))"
                }
            }
            return Mount(glusterVolume: gluster, mountPoint: point, health: health)
        }
        let volumes = state.volumes.values.sorted { $0.name < $1.name }.map { v in
            Volume(
                name: v.name, type: v.kind.rawValue, glusterVolume: v.glusterVolume,
                directory: v.kind == .shared
                    ? "\(v.glusterVolume!):\(v.glusterDirectory)" : "\(configuration.localRoot ?? "?")/\(v.name)",
                options: v.optionsText, holders: state.references.holders[v.name] ?? [:], createdOn: v.createdOn)
        }
        return PluginStatus(
            socket: configuration.socket, socketListening: Self.listening(configuration.socket),
            servers: configuration.servers,
            defaultVolume: configuration.volume, stateDirectory: configuration.stateDirectory, mounts: mounts,
            volumes: volumes)
    }

    /// Whether something accepts connections on the unix socket.
    static func listening(_ path: String) -> Bool {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, b) in bytes.enumerated() { buffer[i] = b }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }
}
