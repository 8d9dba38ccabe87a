internal import CLinux
import Foundation
import HostIO

#if canImport(Glibc)
    import Glibc
#endif

/// What a TCP connect to a volfile server found, just before glfs_init.
enum ServerReachability: Sendable, Hashable {
    case reachable
    case unresolved
    case refused
    /// Nothing answered in time (packets dropped somewhere, or a slow network).
    case noAnswer
    /// Another errno: EHOSTUNREACH, ENETUNREACH, …
    case failed(Int32)

    init(probeResult rc: Int32) {
        switch rc {
        case 0: self = .reachable
        case BRICKCTL_TCP_PROBE_UNRESOLVED: self = .unresolved
        case -ECONNREFUSED: self = .refused
        case -ETIMEDOUT: self = .noAnswer
        default: self = .failed(-rc)
        }
    }

    /// A failure that waiting longer will not fix.
    var isDefinitiveFailure: Bool {
        switch self {
        case .reachable, .noAnswer: return false
        case .unresolved, .refused, .failed: return true
        }
    }

    var explanation: String {
        switch self {
        case .reachable: return "reachable"
        case .unresolved: return "the name does not resolve"
        case .refused: return "connection refused (glusterd not running there?)"
        case .noAnswer: return "no answer (host down, or a firewall dropping packets?)"
        case .failed(let code) where code == EHOSTUNREACH: return "no route to host (host down?)"
        case .failed(let code): return GlusterAPIError.text(ofErrno: code)
        }
    }
}

/// Asks every volfile server at once whether it accepts a TCP connection, before glfs_init.
///
/// gfapi tries its servers one after another and gives up on each only after 3 s (refused, host
/// unreachable) or 42 s (packets dropped), so a dead first server delays every connect or makes it
/// time out before a healthy backup is tried. This check puts the servers that answer first. It
/// returns as soon as one server accepted (a healthy local glusterd: well under a millisecond),
/// or when all have failed, or at the deadline.
struct VolfileServerCheck: Sendable, Hashable {
    /// The longest the check waits for a first server to accept: a glusterd that takes longer to
    /// accept a TCP connection is as good as down (SYNs are resent after 1 s and 3 s).
    static let window: Duration = .seconds(5)

    /// The servers in the caller's order.
    var servers: [String]
    /// What each server answered so far; a missing server had not answered yet.
    var found: [String: ServerReachability]

    /// The order for glfs_set_volfile_server: reachable servers first, then those that had not
    /// answered yet, then those that failed, each group in the caller's order.
    var order: [String] {
        let reachable = servers.filter { found[$0] == .reachable }
        let pending = servers.filter { found[$0] == nil || found[$0] == .noAnswer }
        let failed = servers.filter { found[$0]?.isDefinitiveFailure == true }
        return reachable + pending + failed
    }

    /// Every server failed in a way that waiting will not fix: glfs_init would fail too.
    var allFailed: Bool {
        !servers.isEmpty && servers.allSatisfy { found[$0]?.isDefinitiveFailure == true }
    }

    var anyReachable: Bool { servers.contains { found[$0] == .reachable } }

    /// "n3: connection refused (glusterd not running there?); n4: the name does not resolve".
    var summary: String {
        servers.map { "\($0): \(found[$0]?.explanation ?? ServerReachability.noAnswer.explanation)" }.joined(
            separator: "; ")
    }

    /// Connects to every server in parallel, one pool job each, and returns as soon as one is
    /// reachable or all have answered, or at `deadline`. A job still waiting then finishes on its
    /// own by `deadline` (holding its pool thread until then).
    static func run(
        servers: [String], port: Int, deadline: ContinuousClock.Instant, on pool: BlockingPool
    ) async -> VolfileServerCheck {
        var check = VolfileServerCheck(servers: servers, found: [:])
        let left = deadline - ContinuousClock.now
        let milliseconds = Int32(
            clamping: max(0, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
        let seconds = Double(milliseconds) / 1000
        await withTaskGroup(of: (String, ServerReachability)?.self) { group in
            for server in Set(servers) {
                group.addTask {
                    let answer = try? await pool.run("a TCP connect to \(server):\(port)", seconds: seconds + 1) {
                        ServerReachability(probeResult: brickctl_tcp_probe(server, Int32(port), milliseconds))
                    }
                    return answer.map { (server, $0) }
                }
            }
            for await finding in group {
                if let (server, answer) = finding { check.found[server] = answer }
                if check.anyReachable { break }
            }
            group.cancelAll()
        }
        return check
    }
}
