/// What `FstabStore.update` did: the file's text before and after, to report or to roll back.
public struct FstabChange: Sendable, Equatable {
    /// The file that was edited.
    public var path: String
    /// The contents before the edit (empty when the file did not exist).
    public var previous: FstabFile
    /// The contents now; byte-identical to `previous` when the edit changed nothing.
    public var current: FstabFile
    /// What `findmnt --verify` reported about the new contents and brickctl accepted (empty when
    /// nothing was written). Callers can look for `[E]` problems under their own mount point.
    public var problems: [FstabVerification.Problem] = []

    /// Whether the file was rewritten.
    public var isChanged: Bool { !previous.isByteIdentical(to: current) }

    /// The lines in `current` that are not lines of `previous` (compared byte for byte).
    public var addedLines: [String] {
        let before = Set(previous.lines.map { Array($0.text.utf8) })
        return current.lines.map(\.text).filter { !before.contains(Array($0.utf8)) }
    }
}
