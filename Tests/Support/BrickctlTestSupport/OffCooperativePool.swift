public import Testing

import class Foundation.Thread

/// A suite or test trait: every test case under it runs on threads of its own, never on Swift's
/// cooperative pool.
///
/// On a 2-core machine the cooperative pool has two threads. A test that blocks one (a
/// synchronous wait for a subprocess, a semaphore, `Thread.sleep`, a loop that never ends) takes
/// half of the suite's capacity; two such tests stop every other test. Under this trait the test's
/// body and every child task it starts run on ``ThreadPerJobExecutor`` (Swift's task executor
/// preference, SE-0417), so a blocked or hung test holds only threads of its own and the rest of
/// the suite goes on. Put it on every suite whose tests block a thread: `@Suite(.offCooperativePool)`.
/// It is recursive: nested suites and their tests inherit it.
public struct OffCooperativePoolTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    /// A scope for each test case (where the test's body runs), none for suites as a whole.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) {
            try await function()
        }
    }
}

extension Trait where Self == OffCooperativePoolTrait {
    /// Runs the tests on threads of their own, off Swift's cooperative pool (see ``OffCooperativePoolTrait``).
    public static var offCooperativePool: Self { OffCooperativePoolTrait() }
}

/// A task executor that runs each job on a new thread of its own.
///
/// A job is the stretch of a task between two suspension points: a synchronous test body is one
/// job, however long it blocks. A thread per job costs a thread start (tens of microseconds) and
/// can never be starved by another job, which is the point. For tests only.
public final class ThreadPerJobExecutor: TaskExecutor, Sendable {
    public static let shared = ThreadPerJobExecutor()

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
