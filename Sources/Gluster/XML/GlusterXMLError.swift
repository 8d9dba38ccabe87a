import Foundation

/// `gluster --xml` printed something brickctl cannot read.
public struct GlusterXMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, e.g. "no <volStatus> element", "<port> is \"x\", not a number".
    public var problem: String
    /// The start of the text, for the report.
    public var excerpt: String

    public init(_ problem: String, in text: String) {
        self.problem = problem
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(
            separator: " ")
        self.excerpt = flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }

    public var description: String {
        "cannot read gluster's XML answer (\(problem)): run the same gluster command with --xml by hand and report its output; it began: \(excerpt.isEmpty ? "(nothing)" : excerpt)"
    }
}
