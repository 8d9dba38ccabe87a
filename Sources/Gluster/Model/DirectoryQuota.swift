/// A directory quota of a volume (`gluster volume quota NAME list`): the limit the plugin's
/// `-o size=` sets on a Docker volume's directory, and what the directory uses.
public struct DirectoryQuota: Hashable, Sendable, Codable {
    /// The directory inside the volume, e.g. `/brickctl/volumes/wp_uploads`.
    public var path: String
    public var limitBytes: UInt64
    public var usedBytes: UInt64
}
