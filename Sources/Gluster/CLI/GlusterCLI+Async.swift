public import HostIO

/// The async entry points: the same calls as the blocking ones, for the plugin and async commands.
/// The gluster process and the wait for brickctl's gluster lock run on a `BlockingPool`; the
/// pauses between retries are `Task.sleep`s, so a waiting call holds no thread.
extension GlusterCLI {
    /// `run(_:subject:)` on `pool`.
    @discardableResult
    public func run(_ arguments: [String], subject: String? = nil, on pool: BlockingPool) async throws(GlusterCLIError)
        -> CLIEnvelope
    {
        switch try await call(arguments, expectsXML: true, subject: subject, on: pool) {
        case .envelope(let envelope): return envelope
        case .text(let text):
            throw .unreadable(command: display(arguments), GlusterXMLError("no <cliOutput> in the answer", in: text))
        }
    }

    /// `runText(_:subject:)` on `pool`.
    @discardableResult
    public func runText(_ arguments: [String], subject: String? = nil, on pool: BlockingPool)
        async throws(GlusterCLIError) -> String
    {
        switch try await call(arguments, expectsXML: false, subject: subject, on: pool) {
        case .text(let text): return text
        case .envelope(let envelope): return envelope.output ?? ""
        }
    }

    /// `heal(_:full:)` on `pool`.
    public func heal(_ name: String, full: Bool = false, on pool: BlockingPool) async throws(GlusterCLIError) {
        try await retrying(.whileSelfHealStarts(limit: busyRetry)) { () async throws(GlusterCLIError) in
            try await runText(healArguments(name, full: full), subject: name, on: pool)
        }
    }

    /// `healInfo(_:summary:)` on `pool`.
    public func healInfo(_ name: String, summary: Bool = false, on pool: BlockingPool) async throws(GlusterCLIError)
        -> HealInfo
    {
        let arguments = healInfoArguments(name, summary: summary)
        return try decoded(try await run(arguments, subject: name, on: pool), of: arguments, HealInfo.decode)
    }

    private func call(_ arguments: [String], expectsXML: Bool, subject: String?, on pool: BlockingPool)
        async throws(GlusterCLIError) -> Answer
    {
        let command = display(arguments)
        // The lock's own wait is bounded (see takeLock); the pool's deadline is a second bound.
        let lock = try await onPool(pool, "waiting for the gluster lock", Double(timeout + 20) + busyRetry) {
            () throws(GlusterCLIError) in try takeLock()
        }
        defer { withExtendedLifetime(lock) {} }
        return try await retrying(.whileBusy(limit: busyRetry)) { () async throws(GlusterCLIError) in
            // `timeout -k 5 T+10` ends gluster first; the pool's deadline is a second bound.
            try await onPool(pool, command, Double(timeout + 20)) { () throws(GlusterCLIError) in
                try attempt(arguments, expectsXML: expectsXML, subject: subject)
            }
        }
    }

    /// Runs one blocking step on `pool`, its error still a `GlusterCLIError`.
    private func onPool<T: Sendable>(
        _ pool: BlockingPool, _ what: String, _ seconds: Double,
        _ body: @escaping @Sendable () throws(GlusterCLIError) -> T
    ) async throws(GlusterCLIError) -> T {
        do {
            return try await pool.run(what, seconds: seconds) { try body() }
        } catch let error as GlusterCLIError {
            throw error
        } catch let error as BlockingPool.TimedOut {
            throw .timedOut(command: what, seconds: Int(error.seconds))
        } catch {
            throw .cannotRun(command: what, reason: "\(error)")
        }
    }
}
