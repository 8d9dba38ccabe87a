import Foundation

/// A program and its arguments, run without a shell.
///
/// Every external tool brickctl calls (mkfs.xfs, findmnt, gluster, mount) goes through here, with an
/// argv array and a fixed `LANG=C` so that output can be parsed.
public struct Command: Sendable, CustomStringConvertible {
    public var executable: String
    public var arguments: [String]
    public var environment: [String: String]

    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:]) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }

    public var description: String {
        ([executable] + arguments).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    /// What a finished program left behind.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var succeeded: Bool { status == 0 }
        /// The first non-empty of stderr and stdout, trimmed: what to show a user when it failed.
        public var message: String {
            let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return err.isEmpty ? stdout.trimmingCharacters(in: .whitespacesAndNewlines) : err
        }
    }

    /// Runs the program to completion and returns its status and output.
    ///
    /// - Throws: `CommandError.notFound` when the program cannot be started.
    public func run(input: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Command.resolve(executable))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C"
        env["LC_ALL"] = "C"
        for (key, value) in environment { env[key] = value }
        process.environment = env

        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe

        do {
            try process.run()
        } catch {
            throw CommandError.notFound(command: description, reason: "\(error)")
        }
        if let input {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errBox.data, as: UTF8.self)
        )
    }

    /// Runs the program and throws unless it exits 0.
    @discardableResult
    public func check(input: String? = nil) throws -> Output {
        let output = try run(input: input)
        guard output.succeeded else {
            throw CommandError.failed(command: description, status: output.status, message: output.message)
        }
        return output
    }

    /// Finds `name` on the usual system paths (PATH may be minimal under systemd or CI).
    public static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for dir in dirs where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw CommandError.notFound(command: name, reason: "not installed (run scripts/install-deps)")
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// A command that could not run or did not succeed.
public enum CommandError: Error, CustomStringConvertible, Sendable {
    case notFound(command: String, reason: String)
    case failed(command: String, status: Int32, message: String)

    public var description: String {
        switch self {
        case .notFound(let command, let reason):
            return "cannot run \(command): \(reason)"
        case .failed(let command, let status, let message):
            return "\(command) failed (exit \(status)): \(message.isEmpty ? "no output" : message)"
        }
    }
}
