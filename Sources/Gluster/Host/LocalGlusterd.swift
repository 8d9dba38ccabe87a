import Foundation
import Glibc

/// Facts about this host's glusterd.
public enum LocalGlusterd {
    /// The UUID glusterd gave this host (`/var/lib/glusterd/glusterd.info`).
    public static var uuid: String? {
        guard let text = try? String(contentsOfFile: "/var/lib/glusterd/glusterd.info", encoding: .utf8) else {
            return nil
        }
        return text.split(separator: "\n").first { $0.hasPrefix("UUID=") }.map { String($0.dropFirst(5)) }
    }

    /// This host's name as peers should know it.
    public static var hostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// Whether glusterd runs here (its socket exists): asking one that does not makes the CLI wait
    /// for its timeout and write logs.
    public static var isRunning: Bool {
        ["/run/glusterd.socket", "/var/run/glusterd.socket"].contains { FileManager.default.fileExists(atPath: $0) }
    }
}
