import Synchronization

/// A number several tasks or threads add to, for tests that count calls (opens, ticks, closes).
public final class Counter: Sendable {
    private let value: Mutex<Int>

    public init(_ start: Int = 0) { value = Mutex(start) }

    /// Adds one and returns the new value.
    @discardableResult public func increment() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }

    public var current: Int { value.withLock { $0 } }
}

/// Values several tasks or threads append to, in the order they arrive.
public final class Collected<Element: Sendable>: Sendable {
    private let list = Mutex<[Element]>([])

    public init() {}

    public func add(_ element: Element) { list.withLock { $0.append(element) } }

    public var all: [Element] { list.withLock { $0 } }
}

/// A one-shot signal that a test awaits (an event, not a sleep): `signal()` from any thread,
/// `wait(seconds:)` from the test's task, with a deadline.
public final class Signal: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Bool, Never>)
        case signalled
        /// The deadline passed before the waiter was in place.
        case expired
    }
    private let state = Mutex(State.idle)

    public init() {}

    public func signal() {
        let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
            defer { state = .signalled }
            if case .waiting(let continuation) = state { return continuation }
            return nil  // idle or expired: a later wait sees it
        }
        waiter?.resume(returning: true)
    }

    public var isSignalled: Bool { state.withLock { if case .signalled = $0 { true } else { false } } }

    /// True once signalled, false after `seconds` without it. One waiter at a time.
    public func wait(seconds: Double) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
                    switch state {
                    case .waiting(let continuation):
                        state = .idle
                        return continuation
                    case .idle:
                        state = .expired
                        return nil
                    case .signalled, .expired:
                        return nil
                    }
                }
                waiter?.resume(returning: false)
            }
            defer { group.cancelAll() }
            return await withCheckedContinuation { continuation in
                let now: Bool? = state.withLock { state in
                    switch state {
                    case .signalled: return true
                    case .expired:
                        state = .idle
                        return false
                    case .idle, .waiting:
                        state = .waiting(continuation)
                        return nil
                    }
                }
                if let now { continuation.resume(returning: now) }
            }
        }
    }
}

/// Waits until `condition` holds, checking every 10 ms, at most `seconds`; true if it held.
/// For states a test can only observe (a number of waiters), not be told about.
public func eventually(seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return true
}
