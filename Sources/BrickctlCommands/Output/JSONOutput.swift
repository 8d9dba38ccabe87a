import ArgumentParser
import Foundation

/// JSON for `--json`: sorted keys for a stable, diffable shape; no escaped slashes.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// `--json` of the read commands whose help says only "Print JSON." (`@OptionGroup var output`).
struct JSONFlag: ParsableArguments {
    @Flag(help: "Print JSON.")
    var json = false
}
