/// Where a volume is fetched from: its name, the glusterd servers that hand out its volfile, the port
/// and transport.
///
/// The first server is the one glfs_init tries first; the others are backups (one more
/// `glfs_set_volfile_server` call each). Names are trimmed and de-duplicated (case-insensitively);
/// empty names are dropped.
public struct GlusterVolumeAddress: Sendable, Hashable, CustomStringConvertible {
    /// The transport to glusterd. With `.unix` the "servers" are socket paths and the port is unused.
    public enum Transport: String, Sendable, Hashable, Codable {
        case tcp, unix
    }

    public static let defaultPort = 24007

    public var volume: String
    public var servers: [String]
    public var port: Int
    public var transport: Transport

    public init(
        volume: String, servers: [String], port: Int = GlusterVolumeAddress.defaultPort, transport: Transport = .tcp
    ) {
        self.volume = volume.trimmingSpaces
        var seen: Set<String> = []
        self.servers = servers.map(\.trimmingSpaces).filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
        self.port = port
        self.transport = transport
    }

    /// "gvb via n1, n2".
    public var description: String { "\(volume) via \(servers.joined(separator: ", "))" }

    /// The identity of a volume handle for `GlusterVolumes`: the same volume fetched from the same
    /// set of servers is the same handle, whatever order the servers were named in (the order only
    /// decides where a first glfs_init starts).
    public struct CacheKey: Sendable, Hashable, CustomStringConvertible {
        public var volume: String
        public var servers: [String]
        public var port: Int
        public var transport: Transport

        public var description: String { "\(volume) via \(servers.joined(separator: ", "))" }
    }

    public var cacheKey: CacheKey {
        CacheKey(volume: volume, servers: servers.map { $0.lowercased() }.sorted(), port: port, transport: transport)
    }

    /// Why this address cannot be used, or nil when it can.
    var problem: String? {
        if volume.isEmpty { return "no volume name given" }
        if volume.contains("/") {
            return
                "\"\(volume)\" is not a volume name (a volume name has no \"/\"; for a subdirectory, open the volume and use a path)"
        }
        if servers.isEmpty {
            return "no volfile server given for volume \(volume): name at least one glusterd host (e.g. localhost)"
        }
        if transport == .tcp, !(1...65535).contains(port) { return "port \(port) is not a TCP port" }
        if ([volume] + servers).contains(where: { $0.utf8.contains(0) }) {
            return "a volume or server name contains a NUL byte"
        }
        return nil
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
