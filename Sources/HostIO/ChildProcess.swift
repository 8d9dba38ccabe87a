internal import CLinux
import Foundation
import Glibc
import Synchronization

/// A program started by `Command.spawn`: its pid, its pipes, and a bounded way to wait for it.
///
/// Reaped with `waitpid` on this pid only, never by a signal handler or a background monitor, so a
/// child that died is seen as dead on the next look (Foundation's `Process.isRunning` stayed true
/// forever for a SIGKILLed child under load: FIELD-NOTES). Every wait takes a deadline.
public final class ChildProcess: Sendable {
    public let pid: Int32
    /// The command line, for messages.
    public let command: String
    /// The write end of the child's stdin when it was spawned with `.pipe`, else nil.
    public let standardInput: Int32?
    /// The read ends of the child's stdout/stderr when spawned with `.pipe`, else nil.
    public let standardOutput: Int32?
    public let standardError: Int32?

    private struct State {
        var status: Int32?
        var closed: Set<Int32> = []
    }
    private let state = Mutex(State())

    init(pid: Int32, command: String, standardInput: Int32?, standardOutput: Int32?, standardError: Int32?) {
        self.pid = pid
        self.command = command
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    deinit {
        for fd in [standardInput, standardOutput, standardError].compactMap({ $0 }) {
            if !state.withLock({ $0.closed.contains(fd) }) { Glibc.close(fd) }
        }
    }

    /// The exit status (128 + signal when killed by one) once the child has ended; nil while it runs.
    ///
    /// Never blocks: `waitpid(pid, WNOHANG)`.
    public var exitStatus: Int32? {
        state.withLock { state in
            if let status = state.status { return status }
            var raw: Int32 = 0
            var rc: pid_t
            repeat { rc = waitpid(pid, &raw, WNOHANG) } while rc < 0 && errno == EINTR
            if rc == pid {
                state.status = ChildProcess.decode(raw)
            } else if rc < 0 && errno == ECHILD {
                state.status = -1  // reaped elsewhere: it is gone, status unknown
            }
            return state.status
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    /// Waits until the child ends, at most `timeout` seconds.
    ///
    /// - Returns: the exit status (128 + signal number when a signal ended it).
    /// - Throws: `CommandError.timedOut` when it still runs at the deadline (it is left running:
    ///   call `terminate` to end it).
    @discardableResult
    public func wait(timeout: Double) throws -> Int32 {
        let deadline = monotonicSeconds() + timeout
        var pause: useconds_t = 200
        while true {
            if let status = exitStatus { return status }
            if monotonicSeconds() >= deadline {
                throw CommandError.timedOut(command: command, seconds: timeout, waitingFor: "it to exit")
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
    }

    /// Sends `sig` to the child (no-op once it has been reaped).
    public func signal(_ sig: Int32) {
        if exitStatus == nil { Glibc.kill(pid, sig) }
    }

    /// Ends the child: SIGTERM, then SIGKILL after `grace` seconds, and reaps it.
    ///
    /// - Returns: the exit status, or nil if even SIGKILL did not end it within 5 s (a process in
    ///   uninterruptible sleep).
    @discardableResult
    public func terminate(grace: Double = 2) -> Int32? {
        signal(SIGTERM)
        if let status = try? wait(timeout: grace) { return status }
        signal(SIGKILL)
        return try? wait(timeout: 5)
    }

    /// Writes `text` to the child's stdin pipe and closes it.
    public func send(_ text: String) {
        guard let fd = standardInput else { return }
        // A child that exits without reading (nc whose connection was refused) would make this
        // write raise SIGPIPE and kill the whole process: block it in this thread (a write's
        // SIGPIPE goes to the writing thread), the write fails with EPIPE instead, and a pending
        // SIGPIPE is taken off before the mask is restored.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var pending = sigset_t()
            if sigpending(&pending) == 0, sigismember(&pending, SIGPIPE) == 1, sigismember(&previous, SIGPIPE) == 0 {
                var now = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += n
        }
        closeStandardInput()
    }

    /// Closes the child's stdin pipe (it reads end-of-file).
    public func closeStandardInput() {
        guard let fd = standardInput else { return }
        close(fd)
    }

    private func close(_ fd: Int32) {
        let first = state.withLock { $0.closed.insert(fd).inserted }
        if first { Glibc.close(fd) }
    }

    /// What `collectOutput` read, and whether both streams reached their end.
    public struct Collected: Sendable {
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// False when the deadline came first, or a grandchild kept a pipe open after the child ended.
        public var complete: Bool
    }

    /// Reads stdout and stderr until both end, the deadline passes, or the child has ended and its
    /// pipes stay open for `lingering` more seconds (a daemon it started inherited them).
    ///
    /// Both are drained together with `poll`, so a chatty child never blocks on a full pipe.
    public func collectOutput(until deadline: Double, lingering: Double = 2) -> Collected {
        var buffers: [[UInt8]] = [[], []]
        var fds = [standardOutput ?? -1, standardError ?? -1].map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        var open = fds.filter { $0.fd >= 0 }.count
        var chunk = [UInt8](repeating: 0, count: 65536)
        var endedAt: Double?
        while open > 0 {
            let now = monotonicSeconds()
            if now >= deadline { break }
            if endedAt == nil, exitStatus != nil { endedAt = now }
            if let endedAt, now - endedAt >= lingering { break }
            let slice = Int32(max(1, min(100, (deadline - now) * 1000)))
            let ready = poll(&fds, nfds_t(fds.count), slice)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 { continue }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    buffers[i].append(contentsOf: chunk[0..<n])
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
        return Collected(stdout: buffers[0], stderr: buffers[1], complete: open == 0)
    }

    /// Reads whatever the child has written to stdout so far, waiting up to `timeout` seconds for
    /// the first bytes (for a child that reports readiness with a line).
    public func readAvailable(timeout: Double) -> String {
        guard let fd = standardOutput else { return "" }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, Int32(max(0, timeout * 1000))) > 0 else { return "" }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return n > 0 ? String(decoding: chunk[0..<n], as: UTF8.self) : ""
    }

    static func decode(_ raw: Int32) -> Int32 {
        (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }
}
