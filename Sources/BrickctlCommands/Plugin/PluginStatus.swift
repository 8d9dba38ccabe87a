import Foundation
import Glibc
import HostIO
import VolumePlugin

/// What `brickctl plugin status` shows, read from the plugin's state file, mountinfo and socket.
struct PluginStatus: Encodable {
    struct Mount: Encodable {
        var glusterVolume: String
        var mountPoint: String
        /// The health as a value (for `status` and the exporter); `health` words it.
        var state: FuseMounts.Health
        /// mounted | not mounted | stale: ERROR | foreign: TYPE
        var health: String { state.description }

        enum CodingKeys: String, CodingKey { case glusterVolume, mountPoint, health }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(glusterVolume, forKey: .glusterVolume)
            try c.encode(mountPoint, forKey: .mountPoint)
            try c.encode(health, forKey: .health)
        }
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

    /// Reads the state as the plugin would start from it (`PluginStore.saved`) and the health of
    /// each FUSE mount (`FuseMounts.health`).
    static func read(_ configuration: PluginConfiguration) throws -> PluginStatus {
        let state = try PluginStore.saved(configuration).state
        let fuse = FuseMounts(configuration: configuration)
        let glusterVolumes = Set(
            state.volumes.values.compactMap(\.glusterVolume) + [configuration.volume].compactMap { $0 }
        ).sorted()
        let mounts = glusterVolumes.map { gluster in
            Mount(
                glusterVolume: gluster, mountPoint: configuration.mountPoint(of: gluster),
                state: fuse.health(of: gluster))
        }
        let volumes = state.volumes.values.sorted { $0.name < $1.name }.map { v in
            let directory =
                switch v.backing {
                case .shared(let gluster, _): "\(gluster):\(v.glusterDirectory)"
                case .local: "\(configuration.localRoot ?? "?")/\(v.name)"
                }
            return Volume(
                name: v.name, type: v.kind.rawValue, glusterVolume: v.glusterVolume, directory: directory,
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
        guard let fd = ConnectedSocket.toUnixPath(path) else { return false }
        close(fd)
        return true
    }
}
