/// The lifecycle of `HandleCache`'s entries as a value: every event returns the action the cache
/// must take (use a handle, open one, wait for another caller's open, close, refuse), so the rules
/// are unit-tested without threads, locks or gfapi (the shape of Hummingbird's
/// `HTTP2ServerConnectionManager+StateMachine.swift`). `HandleCache` owns one and drives it under
/// its lock.
struct HandleCacheStateMachine<Key: Hashable & Sendable, Handle: Sendable>: Sendable {
    typealias Instant = ContinuousClock.Instant
    /// Names one open, so that its waiters find its result.
    typealias AttemptID = Int

    enum Entry: Sendable {
        case opening(AttemptID)
        case open(Handle, lastUsed: Instant)
    }

    private(set) var entries: [Key: Entry] = [:]
    private(set) var isShutDown = false
    private var nextAttempt: AttemptID = 0
    /// Callers waiting for each open under way or finished (until each took its result).
    private var waiters: [AttemptID: Int] = [:]
    /// Results of finished opens that callers still wait for.
    private var results: [AttemptID: Result<Handle, any Error>] = [:]

    init() {}

    // MARK: Asking for a handle

    enum LookupAction: Sendable {
        /// The key is open: use this handle.
        case use(Handle)
        /// Nobody opens the key: open it, then report `opened(_:attempt:_:now:)`.
        case open(AttemptID)
        /// Another caller opens the key: wait until `result(of:)` has an answer (or give up with
        /// `stopWaiting(for:)`).
        case wait(AttemptID)
        /// Shut down: no new handles.
        case refuse
    }

    mutating func lookup(_ key: Key, now: Instant) -> LookupAction {
        if isShutDown { return .refuse }
        switch entries[key] {
        case .open(let handle, _):
            entries[key] = .open(handle, lastUsed: now)
            return .use(handle)
        case .opening(let attempt):
            waiters[attempt, default: 0] += 1
            return .wait(attempt)
        case nil:
            let attempt = nextAttempt
            nextAttempt += 1
            entries[key] = .opening(attempt)
            return .open(attempt)
        }
    }

    enum OpenedAction: Sendable {
        /// Opened and cached: use it.
        case use(Handle)
        /// The open failed: throw this (it is not remembered; the next lookup opens again).
        case fail(any Error)
        /// Opened after shutdown began: close it and refuse.
        case closeAndRefuse(Handle)
    }

    /// An open ended. Its waiters get the same outcome (shut down, for a handle that came too late).
    mutating func opened(_ key: Key, attempt: AttemptID, _ result: Result<Handle, any Error>, now: Instant)
        -> OpenedAction
    {
        if case .opening(let current)? = entries[key], current == attempt { entries[key] = nil }
        let action: OpenedAction
        switch result {
        case .success(let handle) where isShutDown:
            action = .closeAndRefuse(handle)
        case .success(let handle):
            entries[key] = .open(handle, lastUsed: now)
            action = .use(handle)
        case .failure(let error):
            action = .fail(error)
        }
        if waiters[attempt, default: 0] > 0 {
            if case .closeAndRefuse = action {
                results[attempt] = .failure(HandleCacheShutDown())
            } else {
                results[attempt] = result
            }
        }
        return action
    }

    /// The outcome of `attempt` for one waiter, once the open ended (nil: still under way).
    mutating func result(of attempt: AttemptID) -> Result<Handle, any Error>? {
        guard let result = results[attempt] else { return nil }
        leave(attempt)
        return result
    }

    /// A waiter gave up (its deadline passed).
    mutating func stopWaiting(for attempt: AttemptID) {
        leave(attempt)
    }

    private mutating func leave(_ attempt: AttemptID) {
        let left = waiters[attempt, default: 1] - 1
        if left > 0 {
            waiters[attempt] = left
        } else {
            waiters[attempt] = nil
            results[attempt] = nil
        }
    }

    // MARK: Closing

    /// The open handles (not those being opened).
    var openHandles: [Key: Handle] {
        entries.compactMapValues { entry in
            if case .open(let handle, _) = entry { return handle }
            return nil
        }
    }

    /// Takes out the handles nobody asked for during the last `age`: close them. Handles being
    /// opened stay.
    mutating func takeIdle(olderThan age: Duration, now: Instant) -> [(Key, Handle)] {
        var idle: [(Key, Handle)] = []
        for (key, entry) in entries {
            if case .open(let handle, let lastUsed) = entry, now - lastUsed >= age {
                idle.append((key, handle))
                entries[key] = nil
            }
        }
        return idle
    }

    /// Refuses new handles from now on and takes out every open one: close them. Opens under way
    /// end with `closeAndRefuse`.
    mutating func shutDown() -> [(Key, Handle)] {
        isShutDown = true
        var all: [(Key, Handle)] = []
        for (key, entry) in entries {
            if case .open(let handle, _) = entry {
                all.append((key, handle))
                entries[key] = nil
            }
        }
        return all
    }

    /// Callers still waiting (for tests: none may be left behind).
    var waiterCount: Int { waiters.values.reduce(0, +) }
}
