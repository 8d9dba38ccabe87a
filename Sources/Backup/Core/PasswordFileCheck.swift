/// Whether a repository password file may be used: a regular file, not empty, readable by its
/// owner only (0600/0400), or a Docker secret (under /run/secrets, which Docker mounts itself).
public enum PasswordFileCheck: Equatable, Sendable {
    case ok
    case missing
    case notRegular
    case empty
    /// Group or others may read or write it (mode in octal).
    case tooOpen(mode: UInt32)

    /// Decides from the file's observed facts (pure).
    public static func judge(path: String, exists: Bool, isRegular: Bool, size: Int, mode: UInt32) -> Self {
        guard exists else { return .missing }
        guard isRegular else { return .notRegular }
        guard size > 0 else { return .empty }
        if path.hasPrefix("/run/secrets/") { return .ok }
        return mode & 0o077 == 0 ? .ok : .tooOpen(mode: mode & 0o7777)
    }
}
