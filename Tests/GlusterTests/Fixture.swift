import Foundation

@testable import Gluster

/// A file captured from the lab, in the test bundle's Fixtures folder.
enum Fixture {
    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String { "no fixture \(name) in the test bundle" }
    }

    /// The text of `Fixtures/NAME` (with its extension, e.g. "pool-list.xml").
    static func text(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: name)
        guard
            let file = Bundle.module.url(
                forResource: url.deletingPathExtension().lastPathComponent, withExtension: url.pathExtension,
                subdirectory: "Fixtures")
        else { throw Missing(name: name) }
        return try String(contentsOf: file, encoding: .utf8)
    }

    /// The envelope of `Fixtures/NAME.xml`.
    static func envelope(_ name: String) throws -> CLIEnvelope {
        try CLIEnvelope(parsing: text(name + ".xml"))
    }

    /// Every `.xml` fixture's name, without extension.
    static func allXML() throws -> [String] {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw Missing(name: "Fixtures")
        }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".xml") }
            .map { String($0.dropLast(4)) }
            .sorted()
    }
}
