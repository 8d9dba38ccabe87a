import Foundation
import Synchronization

/// The volumes every host's plugin made on Gluster, from the markers folders (read by the `read`
/// each call passes: the driver's gfapi reader), cached for `freshFor`. List waits at most `patience` for a refresh; after that,
/// or when the refresh fails (a dead server), it answers with the last list read and the failure
/// is logged: a dead server never blocks List. One refresh at a time.
final class MarkerCatalog: Sendable {
    let freshFor: Duration
    let patience: Duration
    typealias Reader = @Sendable () async throws -> MarkerListing
    private let log: @Sendable (String) -> Void

    private struct State {
        var listing = MarkerListing()
        /// When the last refresh ended (success or failure): the next one is due `freshFor` later.
        var refreshedAt: ContinuousClock.Instant?
        var readAt: ContinuousClock.Instant?
        var refreshing = false
        var failing = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var loggedDamage: [String: String] = [:]
    }
    private let state = Mutex(State())

    init(
        freshFor: Duration = .seconds(5), patience: Duration = .seconds(2),
        log: @escaping @Sendable (String) -> Void
    ) {
        self.freshFor = freshFor
        self.patience = patience
        self.log = log
    }

    /// The markers as last read, refreshed first (waiting at most `patience`) when older than `freshFor`.
    func listing(_ read: @escaping Reader) async -> MarkerListing {
        let start = state.withLock { s -> Bool? in
            if let at = s.refreshedAt, ContinuousClock.now - at < freshFor { return nil }
            if s.refreshing { return false }
            s.refreshing = true
            return true
        }
        if let start {
            if start { Task { await self.refresh(read) } }
            await waitForRefresh()
        }
        return state.withLock { $0.listing }
    }

    /// Starts a refresh now unless one runs (at plugin start: the first List finds the cache warm).
    func warmUp(_ read: @escaping Reader) {
        let start = state.withLock { s -> Bool in
            if s.refreshing { return false }
            s.refreshing = true
            return true
        }
        if start { Task { await self.refresh(read) } }
    }

    private func waitForRefresh() async {
        let id = state.withLock { s -> Int in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                guard s.refreshing else { return true }
                s.waiters[id] = continuation
                return false
            }
            if now {
                continuation.resume()
                return
            }
            let patience = self.patience
            Task {
                try? await Task.sleep(for: patience)
                self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
            }
        }
    }

    private func refresh(_ read: Reader) async {
        let result: Result<MarkerListing, any Error>
        do {
            result = .success(try await read())
        } catch {
            result = .failure(error)
        }
        let (waiters, messages) = state.withLock { s -> ([CheckedContinuation<Void, Never>], [String]) in
            var messages: [String] = []
            let now = ContinuousClock.now
            switch result {
            case .success(let listing):
                s.listing = listing
                s.readAt = now
                if s.failing { messages.append("List: the volume markers on Gluster are readable again") }
                s.failing = false
                for (marker, why) in listing.damaged.sorted(by: { $0.key < $1.key }) where s.loggedDamage[marker] != why
                {
                    messages.append("List: skipping \(marker): \(why)")
                }
                s.loggedDamage = listing.damaged
            case .failure(let error):
                let age = s.readAt.map { "the list read \(Self.seconds(now - $0)) ago" } ?? "the volumes known here"
                messages.append("List: cannot read the volume markers on Gluster (\(error)); answering with \(age)")
                s.failing = true
            }
            s.refreshedAt = now
            s.refreshing = false
            let waiters = Array(s.waiters.values)
            s.waiters = [:]
            return (waiters, messages)
        }
        for message in messages { log(message) }
        for waiter in waiters { waiter.resume() }
    }

    static func seconds(_ duration: Duration) -> String {
        "\(duration.components.seconds) s"
    }
}
