import Foundation
import Gluster
import HostIO

/// Moves a started volume's bricks and mounted clients to its new client.ssl/server.ssl values
/// without unmounting anything (`tls enable|disable --now`).
///
/// Measured on glusterfs 10.3 (lab, replica 3, a FUSE mount writing every 50 ms): `volume set`
/// of client.ssl/server.ssl changes nothing on the wire — running bricks keep their listener's
/// TLS mode until they restart, and running clients only *reconfigure* (the socket transport
/// ignores ssl in a reconfigure) so they keep theirs. A client builds new connections only in a
/// new graph, and glusterfs makes a new graph (instead of reconfiguring) only when the graph's
/// translators change. So:
///   1. `volume stop` + `volume start`: the bricks come back in the new mode. Meanwhile mounted
///      clients' I/O fails (ENOTCONN; ~4 s measured): the mounts stay, nothing is unmounted.
///   2. a client-side translator toggled and restored (`performance.readdir-ahead`): every
///      mounted client (FUSE, gfapi, self-heal) fetches the volfile twice and switches to a new
///      graph whose connections use the new mode; open files move with it. The switch holds
///      I/O only until the new graph's bricks answer.
/// Gluster's bricks accept either TLS or plain connections, never both, so a window in step 1
/// cannot be avoided: do it when writers can retry (or stop them).
struct VolumeTLSSwitch {
    let cli: GlusterCLI
    /// A client-side translator whose toggle forces a new graph; restored to its value.
    static let graphKey = "performance.readdir-ahead"

    struct Timings {
        var restart: Double
        var graphSwitch: Double
    }

    /// Restarts the bricks and moves clients; nil when the volume is not started (nothing runs
    /// in the old mode: it switches at its next start).
    func run(_ name: String, deadline seconds: Int = 120) async throws -> Timings? {
        guard let info = try await cli.volume(name) else {
            throw CommandFailure("there is no volume \(name): check `brickctl volume status`")
        }
        guard info.status == .started else { return nil }
        let start = monotonicSeconds()
        let deadline = start + Double(seconds)
        // Each step again while glusterd answers "Commit failed on HOST" (a brick or daemon that
        // did not stop, start or reconfigure in time; seen once in a loaded CI run): the same call
        // finishes it; a start again with `force`, which starts the bricks still missing.
        var stopped = false
        try await againWhileCommitFails(name, until: deadline) { () async throws(GlusterCLIError) in
            do throws(GlusterCLIError) {
                try await cli.stop(name)
            } catch {
                // A repeated stop after a commit failure that finds the volume stopped: done.
                guard stopped, case .refused(let refusal, _) = error, refusal.kind == .volumeNotStarted else {
                    throw error
                }
            }
            stopped = true
        }
        var started = false
        try await againWhileCommitFails(name, until: deadline) { () async throws(GlusterCLIError) in
            defer { started = true }
            try await cli.start(name, force: started)
        }
        do {
            _ = try await StackWait.poll(
                "the bricks of \(name) to come online", seconds: seconds, every: .milliseconds(200)
            ) { () -> Bool? in
                try await cli.status(name).bricks.allSatisfy(\.online) ? true : nil
            }
        } catch is CommandFailure {
            throw CommandFailure(
                "\(name)'s bricks are not all online \(seconds) s after `volume start`: see `brickctl volume status \(name)`"
            )
        }
        let restarted = monotonicSeconds()
        let value = try await cli.optionValue(name, Self.graphKey)
        let other = ["on", "yes", "true", "enable", "1"].contains(value.lowercased()) ? "off" : "on"
        for wanted in [other, value] {
            try await againWhileCommitFails(name, until: deadline + Double(seconds)) {
                () async throws(GlusterCLIError) in
                try await cli.set(name, Self.graphKey, wanted)
            }
        }
        return Timings(restart: restarted - start, graphSwitch: monotonicSeconds() - restarted)
    }

    /// Runs `step` until it does not fail with glusterd's "Commit failed on HOST", a second
    /// apart, at the most until `deadline` (then that refusal is thrown).
    func againWhileCommitFails(
        _ name: String, until deadline: Double, _ step: () async throws(GlusterCLIError) -> Void
    ) async throws(GlusterCLIError) {
        while true {
            do {
                return try await step()
            } catch .refused(let refusal, let command) where refusal.kind == .commitFailed {
                guard monotonicSeconds() + 1 < deadline else { throw .refused(refusal, command: command) }
                print("\(name): \(command): \(refusal.raw); trying again")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// After `tls enable|disable` set the options: with `now`, switches bricks and clients (`run`)
    /// and prints how long that took; else says when they switch.
    func finish(_ name: String, now: Bool) async throws {
        guard now else {
            print(
                "the bricks switch when the volume is (re)started, clients when they remount; or run this again with --now"
            )
            return
        }
        print(Self.report(name, try await run(name)))
    }

    /// `--now`'s lines for people.
    static func report(_ name: String, _ timings: Timings?) -> String {
        guard let timings else {
            return "\(name) is not started: its bricks and clients use the new setting from its next start"
        }
        return String(
            format:
                "%@: bricks restarted in the new mode in %.1f s (mounted clients' I/O failed meanwhile, mounts kept); clients moved to a new graph in %.1f s (%@ toggled and restored)",
            name, timings.restart, timings.graphSwitch, graphKey)
    }
}
