import Glibc
public import Testing

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
///
/// The thread is made with `pthread_create` itself, not Foundation's `Thread`, whose `start()`
/// drops a failed `pthread_create` without a word: the job would be lost and its task never resume
/// (a silent hang). Here a failed start is retried for up to 30 s (threads run out for a moment when
/// a machine is crowded), then the process stops with the reason.
public final class ThreadPerJobExecutor: TaskExecutor, Sendable {
    public static let shared = ThreadPerJobExecutor()

    public func enqueue(_ job: consuming ExecutorJob) {
        let work = Work(job: UnownedJob(job), executor: asUnownedTaskExecutor())
        let context = Unmanaged.passRetained(work).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 8 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        var result = pthread_create(&thread, &attributes, runWork, context)
        var waited = 0
        while result == EAGAIN && waited < 30_000 {
            usleep(10_000)
            waited += 10
            result = pthread_create(&thread, &attributes, runWork, context)
        }
        if result != 0 {
            fatalError(
                "ThreadPerJobExecutor: no thread for a test's job (pthread_create: errno \(result), for \(waited) ms)")
        }
    }

    /// One job and the executor it runs on, handed to the new thread.
    final class Work: Sendable {
        let job: UnownedJob
        let executor: UnownedTaskExecutor
        init(job: UnownedJob, executor: UnownedTaskExecutor) {
            self.job = job
            self.executor = executor
        }
    }
}

/// The new thread's body: runs its job, then the thread ends.
private func runWork(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let context else { return nil }
    let work = Unmanaged<ThreadPerJobExecutor.Work>.fromOpaque(context).takeRetainedValue()
    work.job.runSynchronously(on: work.executor)
    return nil
}
