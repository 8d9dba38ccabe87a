/// A named set of Gluster volume options and FUSE mount options: what brickctl applies to a volume.
///
/// Pure data. `web` is what the measurements justify for a WordPress/PHP volume shared by several
/// nodes (scripts/bench/gluster-read and scripts/bench/gluster-stall, in a 2-node replica-2 lab);
/// `default` puts every key `web` sets back to Gluster's own default. Option groups are listed
/// expanded into the keys they set, so brickctl can show and diff exactly what changes.
///
/// Measured on the read workload and left out, because they gave nothing or cost something:
/// - `fopen-keep-cache` (mount): glusterfs 10 already turns it on by itself when the kernel has
///   FUSE_AUTO_INVAL_DATA (this one does): no READ reaches the client in a warm pass either way.
/// - `performance.io-cache`, `performance.quick-read` on/off, `performance.nl-cache-positive-entry`:
///   no change; warm reads are served from the kernel's page cache, never from Gluster.
/// - `performance.client-io-threads on`: slower (one more thread hand-off per request), and
///   glusterd turns it off for replicated volumes.
/// - `performance.parallel-readdir`, `performance.readdir-ahead`: they speed up directory
///   listings only; PHP opens files by name.
/// - `direct-io-mode=enable` (mount): bypasses the page cache; slower than the defaults.
public enum VolumeProfile: String, CaseIterable, Hashable, Sendable, Codable {
    /// Metadata and negative-lookup caching kept coherent by upcalls, and a bounded stall when a
    /// node drops out.
    case web
    /// Gluster's defaults: resets every key another profile sets.
    case `default`

    /// One key/value for `gluster volume set NAME KEY VALUE`, and why brickctl sets it.
    public struct Option: Hashable, Sendable, Codable {
        public var key: String
        public var value: String
        /// What it does, what it measurably gave, and what it costs.
        public var reason: String
        /// The option groups (`/var/lib/glusterd/groups/NAME`) that set the same key/value.
        public var groups: [String]

        public init(_ key: String, _ value: String, groups: [String] = [], reason: String) {
            self.key = key
            self.value = value
            self.reason = reason
            self.groups = groups
        }

        /// `gluster` arguments that set this option on `volume`.
        public func setArguments(volume: String) -> [String] { ["volume", "set", volume, key, value] }
    }

    /// An option group as glusterfs ships it in `/var/lib/glusterd/groups/NAME`, expanded.
    ///
    /// `gluster volume set NAME group GROUP` sets all of its keys at once; brickctl sets the keys
    /// one by one instead, so that what it shows, sets and diffs is exactly what the volume gets.
    public struct OptionGroup: Hashable, Sendable {
        public struct Setting: Hashable, Sendable, Codable {
            public var key: String
            public var value: String
        }

        public var name: String
        public var settings: [Setting]

        /// `gluster` arguments that apply the whole group to `volume`.
        public func setArguments(volume: String) -> [String] { ["volume", "set", volume, "group", name] }

        /// `/var/lib/glusterd/groups/metadata-cache` of glusterfs 10.3.
        public static let metadataCache = cacheGroup(
            "metadata-cache",
            caching: [
                Setting(key: "performance.stat-prefetch", value: "on"),
                Setting(key: "performance.cache-invalidation", value: "on"),
                Setting(key: "performance.md-cache-timeout", value: "600"),
            ])

        /// `/var/lib/glusterd/groups/nl-cache` of glusterfs 10.3.
        public static let nlCache = cacheGroup(
            "nl-cache",
            caching: [
                Setting(key: "performance.nl-cache", value: "on"),
                Setting(key: "performance.nl-cache-timeout", value: "600"),
            ])

        /// Both cache groups as glusterfs writes them: the upcalls that keep the cache coherent, the
        /// cache's own keys, then the inode table size.
        private static func cacheGroup(_ name: String, caching: [Setting]) -> OptionGroup {
            let upcalls = [
                Setting(key: "features.cache-invalidation", value: "on"),
                Setting(key: "features.cache-invalidation-timeout", value: "600"),
            ]
            return OptionGroup(
                name: name, settings: upcalls + caching + [Setting(key: "network.inode-lru-limit", value: "200000")])
        }
    }

    /// One FUSE mount option (`mount -t glusterfs -o NAME[=VALUE]`), and why.
    public struct MountOption: Hashable, Sendable, Codable {
        public var name: String
        public var value: String?
        public var reason: String

        public init(_ name: String, _ value: String? = nil, reason: String) {
            self.name = name
            self.value = value
            self.reason = reason
        }

        /// As written in `-o`: `name=value`, or `name` alone.
        public var text: String { value.map { "\(name)=\($0)" } ?? name }
    }

    /// The `network.ping-timeout` of `web`, in seconds.
    public static let webPingTimeout = 10
    /// The `client.tcp-user-timeout` of `web`, in seconds.
    public static let webTCPUserTimeout = 5

    /// What the profile is for, in one line.
    public var summary: String {
        switch self {
        case .web:
            "WordPress/PHP on a volume shared by several nodes: coherent client caches, "
                + "stall <= 10 s when a node drops out"
        case .default:
            "Gluster's defaults: resets every option brickctl's other profiles set"
        }
    }

    /// Options to set, in the order brickctl applies them (`gluster volume set NAME KEY VALUE`).
    public var options: [Option] {
        switch self {
        case .web: Self.webOptions
        case .default: []
        }
    }

    /// Keys to put back to Gluster's default (`gluster volume reset NAME KEY`), in order.
    public var resetKeys: [String] {
        switch self {
        case .web:
            return []
        case .default:
            var keys: [String] = []
            for profile in Self.allCases where profile != .default {
                for option in profile.options where !keys.contains(option.key) { keys.append(option.key) }
            }
            return keys
        }
    }

    /// The option groups whose every key/value `options` contains.
    public var groups: [OptionGroup] {
        switch self {
        case .web: [.metadataCache, .nlCache]
        case .default: []
        }
    }

    /// FUSE mount options for the Docker plugin's mounts, with the reasons.
    ///
    /// `backup-volfile-servers=` (the pool's other hosts, colon-separated) belongs on every mount
    /// too, but it names hosts, so whoever mounts adds it; it is no part of a profile.
    public var mountOptions: [MountOption] {
        switch self {
        case .web: Self.webMountOptions
        case .default: []
        }
    }

    /// `mountOptions` as written in `mount -t glusterfs -o` (joined with commas).
    public var clientMountOptions: [String] { mountOptions.map(\.text) }

    /// Mount options only for a user who asks for them: not coherent across nodes, so only for a
    /// site whose code never changes while it runs (deployed with the image, remounted on change).
    /// They replace the options of the same name in `mountOptions`.
    public var optInMountOptions: [MountOption] {
        switch self {
        case .web: Self.staticSiteMountOptions
        case .default: []
        }
    }

    /// The options whose value in `current` (key -> value, as `gluster volume get NAME all` shows
    /// them) differs from this profile's: what applying the profile would change. Empty = nothing
    /// to do.
    public func pendingOptions(current: [String: String]) -> [Option] {
        options.filter { current[$0.key] != $0.value }
    }

    // MARK: - web

    private static let webOptions: [Option] = [
        Option(
            "features.cache-invalidation", "on", groups: ["metadata-cache", "nl-cache"],
            reason: "Bricks send upcalls to every client that cached a file when it changes: this keeps the "
                + "600 s client caches below coherent across nodes (measured: a file rewritten or created on "
                + "n2 was seen on n1 at once, 0.0 s; without upcalls only the kernel's 1 s timeouts bound "
                + "it). Costs one small message per change and client."),
        Option(
            "features.cache-invalidation-timeout", "600", groups: ["metadata-cache", "nl-cache"],
            reason: "Bricks keep sending upcalls to a client for 600 s after its last access; it must be at "
                + "least md-cache-timeout and nl-cache-timeout, or a client could keep a stale entry "
                + "without being told."),
        Option(
            "performance.stat-prefetch", "on", groups: ["metadata-cache"],
            reason: "md-cache, the client's metadata cache (Gluster's default, set by the group): every "
                + "option below relies on it."),
        Option(
            "performance.cache-invalidation", "on", groups: ["metadata-cache"],
            reason: "md-cache acts on upcalls: it drops or refreshes the cached stat and tells the kernel, "
                + "which is what makes md-cache-timeout 600 safe on a shared volume."),
        Option(
            "performance.md-cache-timeout", "600", groups: ["metadata-cache"],
            reason: "Cached stat and lookup results live 600 s instead of 1 s, kept coherent by upcalls: a "
                + "warm stat no longer goes to both bricks (brick LOOKUPs per file 4.3 -> 2.0; 1.4-2.3x "
                + "the files/s of the defaults, 2.0-2.5x pinned)."),
        Option(
            "network.inode-lru-limit", "200000", groups: ["metadata-cache", "nl-cache"],
            reason: "Inodes a brick keeps cached. When the files a site reads exceed it, the brick forgets "
                + "inodes and its forget upcalls empty the clients' caches: with 1000 < 2000 files read, "
                + "2 brick LOOKUPs per file came back: 1.3-1.9x the defaults instead of 5-11x. The "
                + "default 16384 is less than a WordPress install with a few plugins. Costs brick memory "
                + "(about 1 KiB per cached inode)."),
        Option(
            "performance.nl-cache", "on", groups: ["nl-cache"],
            reason: "Negative-lookup cache: PHP's include-path and file_exists misses are answered by the "
                + "client instead of both bricks, kept coherent by upcalls. With the options above: no "
                + "request reaches a brick in a warm pass; 4.1-9x the files/s of the defaults (11-18x pinned)."),
        Option(
            "performance.nl-cache-timeout", "600", groups: ["nl-cache"],
            reason: "Cached misses live 600 s, invalidated by upcalls when a name appears (measured: a file "
                + "created on n2 was visible on n1 within 0.0 s)."),
        Option(
            "performance.open-behind", "on",
            reason: "Gluster's default, set so that it cannot drift: open() returns at once and the file is "
                + "never opened on the bricks when its data comes from cache. Measured off: an OPEN, FLUSH "
                + "and RELEASE on both bricks per file, a quarter of the files/s (an eighth pinned)."),
        Option(
            "network.ping-timeout", String(webPingTimeout),
            reason: "How long a client waits for a brick that stopped answering (an overloaded or stuck brick "
                + "process whose host still acknowledges TCP) before dropping it; writes stall 1-2x this "
                + "(measured, node cut off: 42 -> 62-77 s, 10 -> 11-13 s, 5 -> 7-8 s). Not 5: with a brick "
                + "frozen 9.5 s, ping-timeout 5 dropped it (16 files left with one copy until self-heal, "
                + "then a reconnect), 10 rode it out (stall 9.6 s). Clients pick it up only when they "
                + "(re)connect: remount after changing it."),
        Option(
            "client.tcp-user-timeout", String(webTCPUserTimeout),
            reason: "A client drops a brick whose host has not acknowledged data for 5 s (TCP_USER_TIMEOUT): "
                + "a dead node or a cut network is noticed after 5 s whatever the ping-timeout (measured "
                + "stall with n2 cut off: 5.5-5.7 s, with ping-timeout 42 or 10). A busy brick process does "
                + "not trip it, since the kernel acknowledges for it. Applies when clients (re)connect."),
    ]

    private static let webMountOptions: [MountOption] = [
        MountOption(
            "negative-timeout", "1",
            reason: "The kernel remembers a missing name for 1 s, so repeated PHP include-path and "
                + "file_exists misses skip the FUSE round trip (none at all when a miss repeats within the "
                + "second; 1.2-1.6x the files/s of the volume options alone, 1.1-1.8x pinned). A file "
                + "created on another node stays invisible here for up to 1 s (measured 0.8-1.0 s): the same "
                + "bound Gluster's default attribute-timeout and entry-timeout of 1 s already put on changes "
                + "and deletions.")
    ]

    private static let staticSiteMountOptions: [MountOption] = [
        MountOption(
            "attribute-timeout", "600",
            reason: "The kernel trusts cached attributes for 600 s. Content changes still arrive through "
                + "upcalls, but a deleted file stays visible for up to 600 s on the other nodes."),
        MountOption(
            "entry-timeout", "600",
            reason: "The kernel trusts cached names for 600 s: removes the last FUSE LOOKUPs (measured over "
                + "web: 0.96-1.35x unpinned, 0.9-1.2x pinned), but renames and deletions on other nodes go "
                + "unseen for up to 600 s."),
        MountOption(
            "negative-timeout", "600",
            reason: "Misses cached for 600 s: a file created on another node (a plugin update, WordPress's "
                + ".maintenance file) stays invisible here for up to 10 minutes (measured: not seen within "
                + "4-5 s)."),
    ]
}
