/// What the running plugin has done since it started: requests and their latency by endpoint,
/// errors by kind, remounts of stale FUSE mounts, and its memory. Served as JSON on the plugin's
/// socket (`GET /Brickctl.Metrics`) and rendered for Prometheus by `brickctl exporter`.
///
/// A plain value: `PluginMetrics` holds the process's one copy behind a lock and records into it.
public struct PluginActivity: Codable, Sendable, Equatable {
    /// The upper bounds (seconds) of the latency histogram's buckets; the last bucket (+Inf) is implicit.
    public static let bucketBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    /// One endpoint's requests.
    public struct Endpoint: Codable, Sendable, Equatable {
        /// Requests answered (refusals and failures included).
        public var requests: Int = 0
        /// Requests answered with an error, by `PluginError.Code` (`other` for any other error).
        public var errors: [String: Int] = [:]
        /// Requests whose latency was at most `bucketBounds[i]` (not cumulative; one more entry for +Inf).
        public var buckets: [Int] = Array(repeating: 0, count: PluginActivity.bucketBounds.count + 1)
        /// Sum of the latencies, seconds.
        public var seconds: Double = 0

        public init() {}

        /// Prometheus's cumulative bucket counts (`le` = each bound, then +Inf = `requests`).
        public var cumulativeBuckets: [Int] {
            var total = 0
            return buckets.map {
                total += $0
                return total
            }
        }
    }

    /// When the plugin process started (Unix time).
    public var startedAt: Double
    /// By endpoint path (`/VolumeDriver.Mount`).
    public var endpoints: [String: Endpoint] = [:]
    /// Remounts of a stale FUSE mount (ENOTCONN: the glusterfs client died), by Gluster volume.
    public var remounts: [String: Int] = [:]
    /// FUSE mounts made (first mounts and remounts), by Gluster volume.
    public var mounts: [String: Int] = [:]
    /// The process's resident memory when this copy was taken (bytes; 0 if unknown).
    public var residentBytes: Int = 0

    public init(startedAt: Double) {
        self.startedAt = startedAt
    }

    /// Counts one answered request of `endpoint` that took `seconds`, failed with `errorCode` (nil: answered fine).
    public mutating func record(endpoint: String, seconds: Double, errorCode: String?) {
        var entry = endpoints[endpoint] ?? Endpoint()
        entry.requests += 1
        entry.seconds += seconds
        let bucket = Self.bucketBounds.firstIndex { seconds <= $0 } ?? Self.bucketBounds.count
        entry.buckets[bucket] += 1
        if let errorCode { entry.errors[errorCode, default: 0] += 1 }
        endpoints[endpoint] = entry
    }

    /// Counts a FUSE mount of `glusterVolume`; `remount` when it replaced a stale one.
    public mutating func recordMount(_ glusterVolume: String, remount: Bool) {
        mounts[glusterVolume, default: 0] += 1
        if remount { remounts[glusterVolume, default: 0] += 1 }
    }
}
