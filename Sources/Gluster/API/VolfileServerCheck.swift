internal import CLinux
import Dispatch
import Foundation
import Synchronization

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

    /// Connects to every server in parallel (one thread each; a thread that is still waiting when
    /// this returns finishes on its own by `deadline`).
    static func run(servers: [String], port: Int, deadline: ContinuousClock.Instant) -> VolfileServerCheck {
        let box = Findings(servers)
        let clock = ContinuousClock()
        let milliseconds = Int32(
            clamping: max(
                0,
                (deadline - clock.now).components.seconds * 1000
                    + (deadline - clock.now).components.attoseconds / 1_000_000_000_000_000))
        for server in servers {
            let thread = Thread {
                box.record(
                    server, ServerReachability(probeResult: brickctl_tcp_probe(server, Int32(port), milliseconds)))
            }
            thread.name = "gfapi-server-check"
            thread.start()
        }
        return box.wait(until: deadline)
    }

    /// The threads' results; each one signals the waiter.
    private final class Findings: Sendable {
        private let check: Mutex<VolfileServerCheck>
        private let arrived = DispatchSemaphore(value: 0)

        init(_ servers: [String]) { check = Mutex(VolfileServerCheck(servers: servers, found: [:])) }

        func record(_ server: String, _ answer: ServerReachability) {
            check.withLock { $0.found[server] = answer }
            arrived.signal()
        }

        /// The findings once one server is reachable or all answered, or at `deadline`.
        func wait(until deadline: ContinuousClock.Instant) -> VolfileServerCheck {
            let clock = ContinuousClock()
            while true {
                let now = check.withLock { $0 }
                if now.anyReachable || now.found.count >= now.servers.count { return now }
                let left = deadline - clock.now
                guard left > .zero,
                    arrived.wait(timeout: .now() + .nanoseconds(Int(left / .nanoseconds(1)))) == .success
                else { return check.withLock { $0 } }
            }
        }
    }
}
