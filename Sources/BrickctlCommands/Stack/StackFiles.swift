import Foundation
import HostIO
import Stack

/// The files of a stack on disk: the stack file, its haproxy.cfg beside it, and the kept cookie key.
struct StackFiles {
    var stackFile: String
    var folder: String { URL(fileURLWithPath: stackFile).deletingLastPathComponent().path }
    var haproxyConfig: String { "\(folder)/\(WordPressStack.haproxyConfigFile)" }
    var cookieKeyFile: String { "\(folder)/cookie-key" }
    /// The database's volume name after a forced `stack restore` (a fresh volume; the old one kept).
    var databaseVolumeFile: String { "\(folder)/db-volume" }

    init(stackFile: String) {
        self.stackFile = URL(fileURLWithPath: stackFile).standardizedFileURL.path
    }

    /// Writes the stack file and the config files it names (haproxy.cfg, backup.sh), atomically.
    func write(_ stack: WordPressStack) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var text = try stack.yaml()
        // A forced restore moved the database to a fresh volume: deploys keep using it.
        if let kept = try? String(contentsOfFile: databaseVolumeFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !kept.isEmpty
        {
            var compose = try ComposeFile.parse(yaml: text)
            compose.volumes?["db-data"]?.name = kept
            text = try compose.yaml()
        }
        try AtomicFile.write(Data(text.utf8), to: stackFile)
        for (file, text) in stack.configFiles.sorted(by: { $0.key < $1.key }) {
            try AtomicFile.write(Data(text.utf8), to: "\(folder)/\(file)", mode: 0o600)
        }
    }

    /// The sticky-session cookie key of this stack: made once and kept, so that a second deploy
    /// renders the same HAProxy config (and keeps users' sessions on their replica).
    func cookieKey() throws -> String {
        if let kept = try? String(contentsOfFile: cookieKeyFile, encoding: .utf8), !kept.isEmpty {
            return kept.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let key = StackFiles.randomSecret()
        try AtomicFile.write(Data((key + "\n").utf8), to: cookieKeyFile, mode: 0o600)
        return key
    }

    /// `length` random letters and digits (5.95 bits each: 32 → about 190 bits, 64 → about 380)
    /// from `SystemRandomNumberGenerator` (the kernel's CSPRNG, getrandom(2) on Linux), unbiased
    /// (`next(upperBound:)` rejects the values that would favour some letters).
    static func randomSecret(length: Int = 32) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// The length of the secrets `stack deploy` creates: 64, as long as WordPress's own key
    /// generator makes its keys and salts (and far more than a database password needs).
    static let secretLength = 64
}
