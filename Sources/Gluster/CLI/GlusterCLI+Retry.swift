import Foundation

/// The retries of a gluster call that glusterd refuses for a while, decided once: which refusal is
/// retried, the pauses between tries (`Task.sleep`), and the error once the window is over.
extension GlusterCLI {
    struct Retry {
        /// The refusal that is worth another try.
        let kind: GlusterRefusal.Kind
        var backoff: Backoff
        /// The error thrown when the window is over (the refusal, the call, seconds waited).
        let exhausted: (GlusterRefusal, String, Int) -> GlusterCLIError

        /// "Another transaction is in progress" / "Locking failed": glusterd is busy with another
        /// transaction, for up to `limit` seconds; then `.busy`.
        static func whileBusy(limit: Double) -> Retry {
            Retry(kind: .busy, backoff: Backoff(limit: limit)) { refusal, command, waited in
                .busy(command: command, waited: waited, refusal: refusal)
            }
        }

        /// "brick op 'Heal' failed" right after a start: the self-heal daemons are not ready yet;
        /// a try a second for up to `limit` seconds, then the refusal itself.
        static func whileSelfHealStarts(limit: Double) -> Retry {
            Retry(kind: .selfHealNotReady, backoff: Backoff(limit: limit, first: 1, longest: 1)) {
                refusal, command, _ in
                .refused(refusal, command: command)
            }
        }

        /// "Staging failed on n3. Error: Host n4 not connected" right after a probe: the new peer
        /// has joined this host but not yet every other peer. A staging failure changed nothing, so
        /// the call is tried again for up to `limit` seconds; then the refusal itself (a peer that
        /// is down).
        static func whilePeersConnect(limit: Double) -> Retry {
            Retry(kind: .peersNotConnected, backoff: Backoff(limit: limit, first: 0.5, longest: 2)) {
                refusal, command, _ in
                .refused(refusal, command: command)
            }
        }

        /// The pause before the next try after `error`.
        /// - Throws: `error` itself when it is not the retried refusal; `exhausted(...)` when the
        ///   window is over.
        mutating func pause(after error: GlusterCLIError) throws(GlusterCLIError) -> Double {
            guard case .refused(let refusal, let command) = error, refusal.kind == kind else { throw error }
            guard let pause = backoff.next() else {
                throw exhausted(refusal, command, Int(backoff.waited.rounded()))
            }
            return pause
        }
    }

    /// Runs `attempt` until it succeeds or `retry` gives up, pausing with `Task.sleep` (a cancelled
    /// task goes on at once: every window is bounded).
    func retrying<T>(_ retry: Retry, _ attempt: () async throws(GlusterCLIError) -> T) async throws(GlusterCLIError)
        -> T
    {
        var retry = retry
        while true {
            do {
                return try await attempt()
            } catch {
                let pause = try retry.pause(after: error)
                try? await Task.sleep(for: .milliseconds(Int(pause * 1000)))
            }
        }
    }
}
