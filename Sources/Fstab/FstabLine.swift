/// One line of an fstab file, kept as the exact text it was read as (without its `\n`).
///
/// A line that reads as a mount entry carries the decoded entry too; everything else — comments,
/// blank lines, lines libmount would reject — is kept verbatim as `other`.
public enum FstabLine: Sendable, CustomStringConvertible {
    /// A mount entry and the line's text: exactly as read, or freshly rendered for an entry an edit added.
    case entry(FstabEntry, text: String)
    /// A comment, a blank line, or a line that is not a valid entry.
    case other(String)

    /// Reads one line (without its `\n`; a CRLF file's `\r` stays part of the text).
    public init(parsing text: String) {
        self.init(text: text, bytes: Array(text.utf8)[...])
    }

    /// Reads one line whose UTF-8 bytes the caller already has.
    init(text: String, bytes: ArraySlice<UInt8>) {
        if let entry = FstabEntry(lineBytes: bytes) {
            self = .entry(entry, text: text)
        } else {
            self = .other(text)
        }
    }

    /// The line's exact text, without its `\n`.
    public var text: String {
        switch self {
        case .entry(_, let text), .other(let text): return text
        }
    }

    /// The mount entry on this line, if it is one.
    public var entry: FstabEntry? {
        if case .entry(let entry, _) = self { return entry }
        return nil
    }

    public var description: String { text }
}

extension FstabLine: Equatable {
    /// Lines are equal when their text is equal byte for byte.
    public static func == (lhs: FstabLine, rhs: FstabLine) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }
}
