import Foundation
public import HostIO

/// The `restic` program against one repository: argv only, the password read by restic itself
/// from `passwordFile` (`--password-file`: a path on the command line, never the secret).
///
/// Every call has a deadline; `backup` streams restic's JSON lines to a handler as they come.
public struct Restic: Sendable {
    public var repository: String
    public var passwordFile: String
    public var executable: String

    public init(repository: String, passwordFile: String, executable: String = "restic") {
        self.repository = repository
        self.passwordFile = passwordFile
        self.executable = executable
    }

    func command(_ arguments: [String]) -> Command {
        // Progress lines twice a second (restic's JSON output has no other rate setting).
        Command(
            executable, ["--repo", repository, "--password-file", passwordFile] + arguments,
            environment: ["RESTIC_PROGRESS_FPS": "2"])
    }

    /// Runs restic `arguments` to completion; its output when it exits 0.
    /// - Throws: `BackupError.restic` with the typed reason.
    @discardableResult
    func run(_ arguments: [String], timeout: Double = 600) throws(BackupError) -> String {
        let out: Command.Output
        do {
            out = try command(arguments).run(timeout: timeout)
        } catch {
            throw .restic(ResticFailure(command: arguments.first ?? "", status: 127, stderr: "\(error)"))
        }
        guard out.succeeded else {
            throw .restic(ResticFailure(command: arguments.first ?? "", status: out.status, stderr: out.stderr))
        }
        return out.stdout
    }

    /// Whether the repository exists and the password opens it (`restic cat config`).
    /// - Throws: `BackupError.restic` for a wrong password or another failure than "no repository".
    public func exists() throws(BackupError) -> Bool {
        do {
            try run(["cat", "config"], timeout: 120)
            return true
        } catch .restic(let failure) where failure.code == .noRepository {
            return false
        }
    }

    /// `restic init`.
    public func initialize() throws(BackupError) { try run(["init"], timeout: 300) }

    /// Removes stale locks only (of processes that died, e.g. a `backup` killed with -9); a live
    /// process's lock stays (`restic unlock` without `--remove-all`). Skipped when a local
    /// repository's `locks/` folder is empty (`StaleLocks`): nothing to remove, one restic start saved.
    /// - Returns: whether `restic unlock` ran.
    @discardableResult
    public func unlockStale() throws(BackupError) -> Bool {
        let entries = StaleLocks.localLocksFolder(repository: repository).flatMap {
            try? FileManager.default.contentsOfDirectory(atPath: $0)
        }
        guard StaleLocks.decide(lockFolderEntries: entries) == .unlock else { return false }
        try run(["unlock"], timeout: 120)
        return true
    }

    /// The snapshots carrying every tag of `tags`, oldest first.
    public func snapshots(tags: [String] = [BackupSnapshot.marker]) throws(BackupError) -> [BackupSnapshot] {
        let text = try run(["snapshots", "--json", "--tag", tags.joined(separator: ",")], timeout: 300)
        do {
            return try JSONDecoder().decode([BackupSnapshot].self, from: Data(text.utf8))
        } catch {
            throw .restic(ResticFailure(command: "snapshots", status: 0, stderr: "unreadable JSON: \(error)"))
        }
    }

    /// `restic check` (structure; `readDataPercent` > 0 also reads that share of the data).
    public func check(readDataPercent: Int = 0) throws(BackupError) -> String {
        var arguments = ["check"]
        if readDataPercent > 0 { arguments += ["--read-data-subset", "\(readDataPercent)%"] }
        return try run(arguments, timeout: 3600)
    }

    /// `restic forget` with restic's own policy over brickctl's snapshots of one stack, grouped by
    /// the stack's host name; `prune` also frees the data no snapshot uses any more.
    public func forget(
        host: String, keepLast: Int?, keepDaily: Int?, keepWeekly: Int?, prune: Bool, dryRun: Bool
    ) throws(BackupError) -> String {
        var arguments = ["forget", "--host", host, "--tag", BackupSnapshot.marker, "--group-by", "host"]
        if let keepLast { arguments += ["--keep-last", "\(keepLast)"] }
        if let keepDaily { arguments += ["--keep-daily", "\(keepDaily)"] }
        if let keepWeekly { arguments += ["--keep-weekly", "\(keepWeekly)"] }
        if prune { arguments.append("--prune") }
        if dryRun { arguments.append("--dry-run") }
        return try run(arguments, timeout: 3600)
    }

    /// Restores `snapshot` (an id or `latest`) into `target`.
    public func restore(snapshot: String, target: String, timeout: Double) throws(BackupError) {
        try run(["restore", snapshot, "--target", target], timeout: timeout)
    }

    /// `restic backup --json` of `paths`, tagged; `onStatus` gets each progress report as it comes.
    /// - Returns: restic's summary (the snapshot id, files new/changed, bytes added).
    /// - Throws: `BackupError.restic` (`.incomplete` when a snapshot was made without some files).
    public func backup(
        paths: [String], host: String, tags: [String], timeout: Double,
        onStatus: (ResticMessage.Status) -> Void
    ) throws(BackupError) -> ResticMessage.Summary {
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("brickctl-restic-\(UUID()).err")
            .path
        defer { unlink(errFile) }
        // --ignore-inode: files read through a FUSE mount made for this run may get other inode
        // numbers than last time; size, mtime and ctime still tell a changed file.
        var arguments = ["backup", "--json", "--host", host, "--ignore-inode"]
        for tag in tags { arguments += ["--tag", tag] }
        arguments += paths
        let child: ChildProcess
        do {
            child = try command(arguments).spawn(stdout: .pipe, stderr: .file(errFile))
        } catch {
            throw .restic(ResticFailure(command: "backup", status: 127, stderr: "\(error)"))
        }
        var summary: ResticMessage.Summary?
        var fileErrors: [String] = []
        let ended = LineReader.read(child.standardOutput, deadline: .now + .seconds(timeout)) { line in
            switch ResticMessage(line: line) {
            case .status(let status): onStatus(status)
            case .summary(let value): summary = value
            case .error(let text): fileErrors.append(text)
            case .other: break
            }
            return true
        }
        let status: Int32
        if ended, let code = try? child.wait(timeout: 60) {
            status = code
        } else {
            child.terminate()
            throw .restic(
                ResticFailure(command: "backup", status: 124, stderr: "no end within \(Int(timeout)) s (ended it)"))
        }
        let stderr = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        guard status == 0, let summary else {
            throw .restic(
                ResticFailure(
                    command: "backup", status: status,
                    stderr: stderr + fileErrors.map { "\n" + $0 }.joined()))
        }
        return summary
    }
}

/// Reads a pipe line by line until end of file, a deadline, or `onLine` saying enough, waiting
/// with poll(2) (never blocking past the deadline).
enum LineReader {
    /// - Parameter onLine: each line; false stops the reading there.
    /// - Returns: true at end of file or when `onLine` stopped it, false at the deadline.
    static func read(_ fd: Int32?, deadline: ContinuousClock.Instant, onLine: (Substring) -> Bool) -> Bool {
        guard let fd else { return true }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 1000)
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if !pending.isEmpty { _ = onLine(Substring(decoding: pending, as: UTF8.self)) }
                return true
            }
            pending.append(contentsOf: buffer[0..<n])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                guard onLine(Substring(decoding: pending[..<newline], as: UTF8.self)) else { return true }
                pending.removeSubrange(...newline)
            }
        }
        return false
    }
}
