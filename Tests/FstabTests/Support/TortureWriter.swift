import Foundation
import HostIO

/// The `fstab-torture-writer` helper executable, built by `swift build --build-tests` / `swift test`
/// into the same directory as the test bundle.
enum TortureWriter {
    /// `$FSTAB_TORTURE_WRITER` if set, else `fstab-torture-writer` next to this test process's executable.
    static func path() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FSTAB_TORTURE_WRITER"], !path.isEmpty { return path }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = executable.deletingLastPathComponent().appendingPathComponent("fstab-torture-writer").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw NotBuilt(looked: candidate)
        }
        return candidate
    }

    struct NotStarted: Error, CustomStringConvertible {
        var output: String
        var description: String { "fstab-torture-writer did not start writing within 30 s (it said \"\(output)\")" }
    }

    struct NotBuilt: Error, CustomStringConvertible {
        var looked: String
        var description: String {
            "fstab-torture-writer is not at \(looked); run `swift build --build-tests` (or "
                + "`swift build --product fstab-torture-writer`) with the same --scratch-path, "
                + "or set FSTAB_TORTURE_WRITER to its path"
        }
    }

    /// Starts the writer with `arguments` (posix_spawn, reaped by waitpid); stdout and stderr are
    /// pipes (`cycle` prints "started" on stdout once it begins writing).
    static func start(_ arguments: [String]) throws -> ChildProcess {
        try Command(try path(), arguments).spawn(stdout: .pipe, stderr: .pipe)
    }
}
