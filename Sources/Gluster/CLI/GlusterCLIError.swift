/// Why a `gluster` CLI call did not do what was asked, and what to do about it.
public enum GlusterCLIError: Error, CustomStringConvertible, Sendable, Hashable {
    /// glusterd refused (opRet ≠ 0, or a failed text answer); the refusal names the fix.
    case refused(GlusterRefusal, command: String)
    /// "Connection failed. Please check if gluster daemon is operational." (plain text on stdout,
    /// exit 1, no XML): the local glusterd is not running.
    case glusterdNotRunning(command: String, output: String)
    /// glusterd did not answer within the timeout ("Error : Request timed out", or brickctl's
    /// own watchdog for commands gluster's `--timeout` does not cover).
    case timedOut(command: String, seconds: Int)
    /// Still "Another transaction is in progress" / "Locking failed" after retrying.
    case busy(command: String, waited: Int, refusal: GlusterRefusal)
    /// The answer could not be read (not the expected XML).
    case unreadable(command: String, GlusterXMLError)
    /// gluster failed in a way brickctl does not recognise.
    case failed(command: String, status: Int32, output: String)
    /// gluster (or `timeout`) could not be started.
    case cannotRun(command: String, reason: String)
    /// Another brickctl process held the gluster lock for too long.
    case lockTimedOut(path: String, seconds: Int)

    /// glusterd's refusal, when that is what happened.
    public var refusal: GlusterRefusal? {
        switch self {
        case .refused(let refusal, _), .busy(_, _, let refusal): return refusal
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .refused(let refusal, _):
            return refusal.message
        case .glusterdNotRunning(let command, let output):
            return
                "glusterd is not running on this host: `\(command)` says \"\(output)\"; start it (`systemctl start glusterd`) and try again"
        case .timedOut(let command, let seconds):
            return
                "glusterd did not answer `\(command)` within \(seconds) s: it may be hung, or waiting for a peer that is down. Check `systemctl status glusterd` and /var/log/glusterfs/glusterd.log on this host and its peers; until the stuck operation ends, glusterd may refuse others with \"Another transaction is in progress\""
        case .busy(let command, let waited, let refusal):
            return
                "glusterd is still busy with another operation after \(waited) s of retries (`\(command)`: \"\(refusal.raw)\"): wait for the other gluster or brickctl command (on this host or a peer) to finish, then try again"
        case .unreadable(let command, let error):
            return "`\(command)`: \(error.description)"
        case .failed(let command, let status, let output):
            return "`\(command)` failed (exit \(status)): \(output.isEmpty ? "no output" : output)"
        case .cannotRun(let command, let reason):
            return "cannot run `\(command)`: \(reason)"
        case .lockTimedOut(let path, let seconds):
            return
                "another brickctl run is talking to glusterd (waited \(seconds) s for \(path)): let it finish and try again"
        }
    }
}
