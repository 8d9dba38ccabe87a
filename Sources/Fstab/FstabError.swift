/// Why brickctl could not read or change an fstab file; each message says what to do next.
public enum FstabError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `findmnt --verify` found a problem the policy does not accept (see `FstabVerification`).
    case verificationFailed(path: String, reason: String)
    /// The file is not valid UTF-8, so it cannot be edited without risking its other lines.
    case notUTF8(path: String)
    /// The file exists but could not be read.
    case unreadable(path: String, reason: String)
    /// An edit asked for an entry that cannot be written so that it reads back the same.
    case unwritableEntry(path: String, entry: String, problem: String)
    /// `restore` found the file changed by someone else since the update it was asked to undo.
    case changedSinceUpdate(path: String, entriesToUndo: [String])

    public var description: String {
        switch self {
        case .verificationFailed(let path, let reason):
            return "findmnt --verify rejected the new \(path): \(reason); the file was not changed. "
                + "Check the entry brickctl was asked to write (run `findmnt --verify --tab-file \(path)` "
                + "to see the current state)"
        case .notUTF8(let path):
            return "\(path) is not valid UTF-8, so brickctl will not rewrite it; "
                + "convert it to UTF-8 (iconv) or add the entry by hand"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason); check that it is a readable file and run brickctl as root"
        case .unwritableEntry(let path, let entry, let problem):
            return "cannot write the entry \"\(entry)\" to \(path): \(problem); \(path) was not changed. "
                + "Give every field a value"
        case .changedSinceUpdate(let path, let entries):
            return "\(path) changed after brickctl edited it, so brickctl will not put back the old version "
                + "over someone else's edit; undo brickctl's change by hand"
                + (entries.isEmpty ? "" : " (the lines it wrote: \(entries.joined(separator: " | ")))")
        }
    }
}
