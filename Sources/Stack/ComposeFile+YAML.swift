import Foundation
internal import Yams

extension ComposeFile {
    /// Reads a stack file brickctl wrote (`stack restore` redeploys the deployed stack as it is).
    /// - Throws: Yams's `DecodingError` when it is not such a file.
    public static func parse(yaml: String) throws -> ComposeFile {
        try YAMLDecoder().decode(ComposeFile.self, from: yaml)
    }

    /// The file's text, keys sorted (as `WordPressStack.yaml()` writes it).
    /// - Throws: Yams's `EncodingError` (not expected for this value).
    public func yaml() throws -> String {
        let encoder = YAMLEncoder()
        encoder.options.sortKeys = true
        encoder.options.width = -1
        return try encoder.encode(self)
    }
}
