import Foundation
import HostIO
import Stack

/// The files of a stack on disk: the stack file, its haproxy.cfg beside it, and the kept cookie key.
struct StackFiles {
    var stackFile: String
    var folder: String { URL(fileURLWithPath: stackFile).deletingLastPathComponent().path }
    var haproxyConfig: String { "\(folder)/\(WordPressStack.haproxyConfigFile)" }
    var cookieKeyFile: String { "\(folder)/cookie-key" }

    init(stackFile: String) {
        self.stackFile = URL(fileURLWithPath: stackFile).standardizedFileURL.path
    }

    /// Writes the stack file (and haproxy.cfg with the proxy), atomically.
    func write(_ stack: WordPressStack) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try AtomicFile.write(Data(try stack.yaml().utf8), to: stackFile)
        if stack.loadBalancing == .proxy {
            try AtomicFile.write(Data(stack.haproxyConfig.text.utf8), to: haproxyConfig, mode: 0o600)
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

    /// 32 random letters and digits (about 190 bits).
    static func randomSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
