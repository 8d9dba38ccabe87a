import Foundation
internal import CLinux
import Glibc

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
    /// Spawned with `posix_spawn` and reaped with `waitpid` (Foundation's `Process` polls every
    /// 50 ms on Linux, which added 50 ms to every call). stdout and stderr are drained together
    /// with `poll`, so a chatty child never blocks on a full pipe.
    /// - Throws: `CommandError.notFound` when the program cannot be started.
    public func run(input: String? = nil) throws -> Output {
        let path = try Command.resolve(executable)
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C"
        env["LC_ALL"] = "C"
        for (key, value) in environment { env[key] = value }

        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var inPipe: [Int32] = [-1, -1]
        guard brickctl_pipe_cloexec(&outPipe) == 0, brickctl_pipe_cloexec(&errPipe) == 0,
            input == nil || brickctl_pipe_cloexec(&inPipe) == 0
        else { throw SystemError.last("create pipes for \(executable)") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        if input != nil { close(inPipe[0]) }
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            if input != nil { close(inPipe[1]) }
            throw CommandError.notFound(command: description, reason: String(cString: strerror(rc)))
        }
        if let input {
            let bytes = Array(input.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.write(inPipe[1], $0.baseAddress, $0.count) }
                if n < 0 { if errno == EINTR { continue } else { break } }
                offset += n
            }
            close(inPipe[1])
        }
        let (out, err) = Command.drain(outPipe[0], errPipe[0])
        close(outPipe[0])
        close(errPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        return Output(
            status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
            stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }

    /// Reads two descriptors to their end, whichever has data first.
    private static func drain(_ a: Int32, _ b: Int32) -> ([UInt8], [UInt8]) {
        var buffers: [[UInt8]] = [[], []]
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        var chunk = [UInt8](repeating: 0, count: 65536)
        var open = 2
        while open > 0 {
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    buffers[i].append(contentsOf: chunk[0..<n])
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
        return (buffers[0], buffers[1])
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
