internal import CLinux
import Foundation
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

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
        /// The first non-empty of stderr and stdout, trimmed: what to show a user when it failed.
        public var message: String {
            let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return err.isEmpty ? stdout.trimmingCharacters(in: .whitespacesAndNewlines) : err
        }
    }

    /// How long `run` and `check` wait for a program unless told otherwise: 10 minutes.
    public static let defaultTimeout: Double = 600

    /// Where a spawned program's standard stream goes.
    public enum Stream: Sendable, Equatable {
        /// /dev/null.
        case null
        /// A pipe to this process (`ChildProcess.standardInput/Output/Error`).
        case pipe
        /// This process's own stream.
        case inherit
        /// A file, created or truncated (for a program that leaves a daemon behind holding its
        /// output: a pipe would be closed under the daemon, and its next write kill it with SIGPIPE).
        case file(String)
    }

    /// Runs the program to completion, at most `timeout` seconds, and returns its status and output.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid` (Foundation's `Process` polls every
    /// 50 ms on Linux, which added 50 ms to every call, and could miss a child's death). stdout and
    /// stderr are drained together with `poll`, so a chatty child never blocks on a full pipe.
    /// - Throws: `CommandError.notFound` when the program cannot be started;
    ///   `CommandError.timedOut` when it ran past `timeout` (it is then terminated).
    public func run(input: String? = nil, timeout: Double = Command.defaultTimeout) throws -> Output {
        let deadline = monotonicSeconds() + timeout
        let child = try spawn(stdin: input == nil ? .null : .pipe)
        if let input { child.send(input) }
        let collected = child.collectOutput(until: deadline)
        let status: Int32
        if let ended = child.exitStatus {
            status = ended
        } else if collected.complete, let ended = try? child.wait(timeout: max(0, deadline - monotonicSeconds())) {
            status = ended
        } else {
            child.terminate()
            throw CommandError.timedOut(command: description, seconds: timeout, waitingFor: "it to finish")
        }
        return Output(
            status: status,
            stdout: String(decoding: collected.stdout, as: UTF8.self),
            stderr: String(decoding: collected.stderr, as: UTF8.self))
    }

    /// Starts the program and returns at once; the caller waits for it (with a deadline) or ends it.
    ///
    /// - Parameter newProcessGroup: put the child in a process group of its own, so that
    ///   `kill(-pid, sig)` reaches it and everything it starts.
    /// - Throws: `CommandError.notFound` when the program cannot be started.
    public func spawn(
        stdin: Stream = .null, stdout: Stream = .pipe, stderr: Stream = .pipe, newProcessGroup: Bool = false
    ) throws -> ChildProcess {
        let path = try Command.resolve(executable)
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "C"
        env["LC_ALL"] = "C"
        for (key, value) in environment { env[key] = value }

        var pipes: [[Int32]] = [[-1, -1], [-1, -1], [-1, -1]]
        let streams = [stdin, stdout, stderr]
        func closeAll() { for pair in pipes { for fd in pair where fd >= 0 { close(fd) } } }
        for (index, stream) in streams.enumerated() where stream == .pipe {
            guard brickctl_pipe_cloexec(&pipes[index]) == 0 else {
                let error = SystemError.last("create pipes for \(executable)")
                closeAll()
                throw error
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (index, stream) in streams.enumerated() {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(
                    &actions, Int32(index), "/dev/null", index == 0 ? O_RDONLY : O_WRONLY, 0)
            case .pipe: posix_spawn_file_actions_adddup2(&actions, pipes[index][index == 0 ? 0 : 1], Int32(index))
            case .inherit: break
            case .file(let path):
                if index == 2, stdout == stream {
                    posix_spawn_file_actions_adddup2(&actions, 1, 2)  // one file for both: one offset
                } else {
                    posix_spawn_file_actions_addopen(&actions, Int32(index), path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                }
            }
        }

        // Nothing else of this process reaches the child: a daemon it leaves behind (the glusterfs
        // FUSE client that `mount` starts) would otherwise keep the plugin's listening socket open
        // after the plugin died, and Docker's connections would hang in its backlog.
        brickctl_spawn_closefrom(&actions, 3)

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
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        // The child's ends.
        if pipes[0][0] >= 0 { close(pipes[0][0]) }
        if pipes[1][1] >= 0 { close(pipes[1][1]) }
        if pipes[2][1] >= 0 { close(pipes[2][1]) }
        guard rc == 0 else {
            for fd in [pipes[0][1], pipes[1][0], pipes[2][0]] where fd >= 0 { close(fd) }
            throw CommandError.notFound(command: description, reason: String(cString: strerror(rc)))
        }
        return ChildProcess(
            pid: pid, command: description,
            standardInput: pipes[0][1] >= 0 ? pipes[0][1] : nil,
            standardOutput: pipes[1][0] >= 0 ? pipes[1][0] : nil,
            standardError: pipes[2][0] >= 0 ? pipes[2][0] : nil)
    }

    /// Runs the program and throws unless it exits 0.
    @discardableResult
    public func check(input: String? = nil, timeout: Double = Command.defaultTimeout) throws -> Output {
        let output = try run(input: input, timeout: timeout)
        guard output.succeeded else {
            throw CommandError.failed(command: description, status: output.status, message: output.message)
        }
        return output
    }

    /// Finds `name` on the usual system paths (PATH may be minimal under systemd or CI).
    public static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs =
            path.split(separator: ":").map(String.init)
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
    /// The program ran past its deadline (and was ended, when `run` started it).
    case timedOut(command: String, seconds: Double, waitingFor: String)

    public var description: String {
        switch self {
        case .notFound(let command, let reason):
            return "cannot run \(command): \(reason)"
        case .failed(let command, let status, let message):
            return "\(command) failed (exit \(status)): \(message.isEmpty ? "no output" : message)"
        case .timedOut(let command, let seconds, let waitingFor):
            return
                "\(command) did not finish: waited \(seconds.formatted(.number.precision(.fractionLength(0...1)))) s for \(waitingFor)"
        }
    }
}
