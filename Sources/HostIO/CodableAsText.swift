/// A value that JSON shows as its text form (`8:16`, `n1:/data/brick`), the one `description`
/// gives, and reads back from it: `Codable` by declaring the parser, not by writing
/// `init(from:)` and `encode(to:)` again.
public protocol CodableAsText: Codable, CustomStringConvertible {
    /// Parses the text form; nil when `text` is not one.
    init?(text: String)

    /// What the text form looks like, for the error about a value that is not one (`MAJ:MIN`).
    static var textForm: String { get }
}

extension CodableAsText {
    /// - Throws: `DecodingError.dataCorrupted` for a string that is not the text form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not \(Self.textForm): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
