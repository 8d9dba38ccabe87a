import Synchronization

/// Awaits work that reports its result through a callback (a pool job, another caller's open), in
/// the caller's task, with a deadline: the one deadline mechanism of the package (`BlockingPool.run`
/// is built on it).
///
/// The wait is raced against a `Task.sleep` child of a task group of the caller's task, and the
/// caller's cancellation reaches it through `withTaskCancellationHandler`: the first of the result,
/// the deadline and a cancellation resumes the caller; the others find nobody waiting. No timer
/// outlives the call, and no unstructured task is started.
/// - Parameters:
///   - limit: how long to wait.
///   - timedOut: the error to throw at the deadline.
///   - start: starts the work and hands it `deliver` (called at most usefully once; later calls
///     are dropped). It may call `deliver` before it returns.
/// - Throws: what the work delivers, `timedOut`, or `CancellationError`.
public func awaitCallback<T: Sendable>(
    within limit: Duration, timedOut: any Error,
    _ start: (_ deliver: @escaping @Sendable (Result<T, any Error>) -> Void) -> Void
) async throws -> T {
    try Task.checkCancellation()
    let outcome = FirstOutcome<T>()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            try? await Task.sleep(for: limit)
            outcome.finish(.failure(Task.isCancelled ? CancellationError() : timedOut))
        }
        defer { group.cancelAll() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                outcome.install(continuation)
                start { outcome.finish($0) }
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }
}

/// The first result delivered to a waiting caller; a result that comes before the caller's
/// continuation is installed is kept and handed over when it is.
private final class FirstOutcome<T: Sendable>: Sendable {
    private enum State {
        case noCallerYet(early: Result<T, any Error>?)
        case waiting(CheckedContinuation<T, any Error>)
        case done
    }
    private let state = Mutex<State>(.noCallerYet(early: nil))

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = state.withLock { state in
            guard case .noCallerYet(let early) = state else { return nil }
            if let early {
                state = .done
                return early
            }
            state = .waiting(continuation)
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = state.withLock { state in
            switch state {
            case .noCallerYet(nil):
                state = .noCallerYet(early: result)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .noCallerYet(.some), .done:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
