import Foundation
public import HostIO

/// The gluster command-line client, the way brickctl talks to glusterd: `gluster --mode=script
/// --xml ARGS`, one transaction at a time per host.
///
/// Every call runs `timeout -k 5 T+10 gluster --mode=script --xml --timeout=T ARGS` (argv, no
/// shell, LANG=C) while holding an exclusive lock on `lockPath`, checks the exit status and
/// glusterd's opRet/opErrno/opErrstr, retries with backoff while glusterd answers "Another
/// transaction is in progress" or "Locking failed", and turns refusals into `GlusterRefusal`s.
/// gluster's own `--timeout` (default 120 s) bounds requests to glusterd, but not `volume heal`
/// and `volume heal … info` (glfsheal): the `timeout` watchdog bounds those.
///
/// Every call is async: the gluster process and the wait for the lock run on `pool`, the pauses
/// between retries are `Task.sleep`s, so a waiting call holds no thread. Commands and the plugin
/// call the same operations.
public struct GlusterCLI: Sendable {
    /// The gluster program.
    public var executable: String
    /// Words run before it, e.g. `["nsenter", "-t", PID, "-n", "-m"]` to reach another node.
    public var launcher: [String]
    /// Seconds glusterd may take to answer one call.
    public var timeout: Int
    /// The lock that serialises gluster calls on this host; nil = no lock.
    public var lockPath: String?
    /// Seconds to keep retrying while glusterd is busy with another transaction.
    public var busyRetry: Double
    /// Where the gluster processes and the lock's wait run (the plugin gives its own).
    public var pool: BlockingPool

    public init(
        executable: String = "gluster", launcher: [String] = [], timeout: Int = 60,
        lockPath: String? = "/run/lock/brickctl-gluster.lock", busyRetry: Double = 10, pool: BlockingPool = .shared
    ) {
        self.executable = executable
        self.launcher = launcher
        self.timeout = timeout
        self.lockPath = lockPath
        self.busyRetry = busyRetry
        self.pool = pool
    }

    /// Runs `gluster --xml ARGS` and returns glusterd's answer, which succeeded.
    ///
    /// - Parameter subject: the volume or host the call is about, for refusal messages.
    /// - Throws: `GlusterCLIError`: `.refused` with glusterd's reason interpreted, `.busy`,
    ///   `.timedOut`, `.glusterdNotRunning`, `.unreadable`, `.failed`, `.cannotRun`,
    ///   `.lockTimedOut`.
    @discardableResult
    public func run(_ arguments: [String], subject: String? = nil) async throws(GlusterCLIError) -> CLIEnvelope {
        switch try await call(arguments, expectsXML: true, subject: subject) {
        case .envelope(let envelope): return envelope
        case .text(let text):
            throw .unreadable(command: display(arguments), GlusterXMLError("no <cliOutput> in the answer", in: text))
        }
    }

    /// Runs a gluster command that answers in plain text even with `--xml` (`volume heal NAME
    /// [full]`) and returns its output.
    /// - Throws: `GlusterCLIError`, as `run`.
    @discardableResult
    public func runText(_ arguments: [String], subject: String? = nil) async throws(GlusterCLIError) -> String {
        switch try await call(arguments, expectsXML: false, subject: subject) {
        case .text(let text): return text
        case .envelope(let envelope): return envelope.output ?? ""
        }
    }

    /// The argv of one call.
    func argv(_ arguments: [String]) -> [String] {
        ["-k", "5", String(timeout + 10)] + launcher + [executable, "--mode=script", "--xml", "--timeout=\(timeout)"]
            + arguments
    }

    /// How a call is named in messages: `gluster volume heal gv0 info`.
    func display(_ arguments: [String]) -> String {
        (["gluster"] + arguments).map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    private func call(_ arguments: [String], expectsXML: Bool, subject: String?) async throws(GlusterCLIError)
        -> Answer
    {
        try await locked(display(arguments)) { () throws(GlusterCLIError) in
            try attempt(arguments, expectsXML: expectsXML, subject: subject)
        }
    }

    /// One run of gluster, judged (blocking; no lock, no retry).
    func attempt(_ arguments: [String], expectsXML: Bool, subject: String?) throws(GlusterCLIError) -> Answer {
        let command = display(arguments)
        let output: Command.Output
        do {
            output = try Command("timeout", argv(arguments)).run()
        } catch {
            throw .cannotRun(command: command, reason: "\(error)")
        }
        return try GlusterCLI.judge(
            status: output.status, stdout: output.stdout, stderr: output.stderr, expectsXML: expectsXML,
            command: command, subject: subject, timeout: timeout)
    }

    /// Runs `attempt` (one blocking run of gluster) on `pool` under brickctl's gluster lock, again
    /// with backoff (up to `busyRetry` seconds) while it fails with glusterd's "Another transaction
    /// is in progress".
    func locked<T: Sendable>(_ command: String, _ attempt: @escaping @Sendable () throws(GlusterCLIError) -> T)
        async throws(GlusterCLIError) -> T
    {
        // The lock's own wait is bounded (see takeLock); the pool's deadline is a second bound.
        let lock = try await onPool("waiting for the gluster lock", Double(timeout + 20) + busyRetry) {
            () throws(GlusterCLIError) in try takeLock()
        }
        defer { withExtendedLifetime(lock) {} }
        return try await retrying(.whileBusy(limit: busyRetry)) { () async throws(GlusterCLIError) in
            // `timeout -k 5 T+10` ends gluster first; the pool's deadline is a second bound.
            try await onPool(command, Double(timeout + 20), attempt)
        }
    }

    /// Runs one blocking step on `pool`, its error still a `GlusterCLIError`.
    func onPool<T: Sendable>(
        _ what: String, _ seconds: Double, _ body: @escaping @Sendable () throws(GlusterCLIError) -> T
    ) async throws(GlusterCLIError) -> T {
        do {
            return try await pool.run(what, seconds: seconds) { try body() }
        } catch let error as GlusterCLIError {
            throw error
        } catch let error as BlockingPool.TimedOut {
            throw .timedOut(command: what, seconds: Int(error.seconds))
        } catch {
            throw .cannotRun(command: what, reason: "\(error)")
        }
    }

    /// Pauses between tries of a call glusterd refuses for a while (busy with another transaction,
    /// self-heal daemons not ready): `first` seconds, doubling up to `longest`, until `limit`
    /// seconds have passed since the first try (see `Retry`).
    struct Backoff {
        let limit: Double
        var delay: Double
        let longest: Double
        let start = monotonicSeconds()

        init(limit: Double, first: Double = 0.25, longest: Double = 2) {
            self.limit = limit
            self.delay = first
            self.longest = longest
        }

        /// Seconds since the first try.
        var waited: Double { monotonicSeconds() - start }

        /// The pause before the next try, nil once it would pass `limit`.
        mutating func next() -> Double? {
            guard waited + delay <= limit else { return nil }
            defer { delay = min(delay * 2, longest) }
            return delay
        }
    }

    func takeLock() throws(GlusterCLIError) -> FileLock? {
        guard let lockPath else { return nil }
        let wait = Double(timeout + 15) + busyRetry
        do {
            let directory = (lockPath as NSString).deletingLastPathComponent
            if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            return try FileLock(path: lockPath, timeout: wait)
        } catch is FileLockError {
            throw .lockTimedOut(path: lockPath, seconds: Int(wait))
        } catch {
            throw .cannotRun(command: "gluster", reason: "cannot take the lock \(lockPath): \(error)")
        }
    }
}
