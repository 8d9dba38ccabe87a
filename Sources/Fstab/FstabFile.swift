/// The contents of an fstab file as a value: every line kept byte for byte, entries decoded.
///
/// `FstabFile(parsing: text).text` is `text` again, byte-identical, for any input: comments, blank
/// lines, mixed tabs and spaces, trailing blanks, CRLF line endings, a missing final newline, octal
/// escapes, and lines that are not valid entries. Edits (see `FstabFile+Editing.swift`) change only
/// the lines they add, replace or remove; every other line keeps its exact bytes.
public struct FstabFile: Sendable, CustomStringConvertible {
    /// The lines in order, each without its `\n`.
    public private(set) var lines: [FstabLine]
    /// Whether the last line ends with `\n` (ignored when there are no lines).
    public private(set) var endsWithNewline: Bool

    /// An empty file.
    public init() {
        lines = []
        endsWithNewline = true
    }

    /// Reads fstab text; never fails (lines that are not entries become `FstabLine.other`).
    public init(parsing text: String) {
        let newline = UInt8(ascii: "\n")
        var pieces = Array(text.utf8).split(separator: newline, omittingEmptySubsequences: false)
        endsWithNewline = pieces.last?.isEmpty ?? true
        if endsWithNewline { pieces.removeLast() }
        lines = pieces.map { FstabLine(text: String(decoding: $0, as: UTF8.self), bytes: $0) }
    }

    /// The file's exact text.
    public var text: String {
        guard !lines.isEmpty else { return "" }
        var out = lines.map(\.text).joined(separator: "\n")
        if endsWithNewline { out += "\n" }
        return out
    }

    /// The mount entries, in file order.
    public var entries: [FstabEntry] {
        lines.compactMap(\.entry)
    }

    /// The first entry that mounts at `mountPoint` (compared as normalized paths, byte for byte).
    public func entry(forMountPoint mountPoint: String) -> FstabEntry? {
        entries.first { $0.mounts(at: mountPoint) }
    }

    /// The entries whose line text does not read back as the same entry, with the reason.
    ///
    /// Lines read from a file always pass; an entry an edit added fails when, for example, its mount
    /// point is empty (see `FstabEntry.writingProblem`). An entry with no options reads back with
    /// `defaults`, which counts as the same.
    public var unwritableEntries: [(entry: FstabEntry, problem: String)] {
        lines.compactMap { line in
            guard case .entry(let entry, let text) = line else { return nil }
            var expected = entry
            if expected.options.isEmpty { expected.options = ["defaults"] }
            let reread = FstabEntry(lineBytes: Array(text.utf8)[...])
            if reread == entry || reread == expected { return nil }
            return (entry, entry.writingProblem ?? "it does not read back the same from the line \"\(text)\"")
        }
    }

    public var description: String { text }

    /// Whether `other` has exactly the same bytes.
    public func isByteIdentical(to other: FstabFile) -> Bool {
        text.utf8.elementsEqual(other.text.utf8)
    }

    // For FstabFile+Editing.swift: the only way lines change.
    mutating func setLines(_ newLines: [FstabLine], endsWithNewline newValue: Bool) {
        lines = newLines
        endsWithNewline = newValue
    }
}

extension FstabFile: Equatable {
    /// Files are equal when their text is equal byte for byte.
    public static func == (lhs: FstabFile, rhs: FstabFile) -> Bool {
        lhs.isByteIdentical(to: rhs)
    }
}
