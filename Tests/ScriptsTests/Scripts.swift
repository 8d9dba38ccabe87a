import Foundation
import HostIO

/// Where the repository's scripts and the fixture binaries of ScriptsTests are.
enum Scripts {
    /// The repository's `scripts/` folder (found from this file's path).
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts").path

    /// A fixture file of this target.
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// An executable product built beside this test process (`swift build --build-tests` builds it).
    static func builtExecutable(_ name: String) throws -> String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = executable.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw Missing(
                what: "\(name) is not at \(candidate); run `swift build --build-tests` with the same --scratch-path")
        }
        return candidate
    }

    struct Missing: Error, CustomStringConvertible {
        var what: String
        var description: String { what }
    }

    /// A fresh empty directory for one test.
    static func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "brickctl-scripts-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs a script of scripts/ to the end (at most `timeout` seconds).
    static func run(_ script: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 300)
        throws -> Command.Output
    {
        try Command("\(folder)/\(script)", arguments, environment: environment).run(timeout: timeout)
    }
}
