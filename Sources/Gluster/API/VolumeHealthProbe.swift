import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Checks that a volume takes writes and gives them back: writes a small probe file under
/// `/.brickctl-probe/`, reads it back, compares, deletes it; times every step.
///
/// The file name is unique (host, pid, random token) so probes from several hosts may run at once;
/// the hidden directory stays (removing it would race with them; Docker volume names cannot start
/// with a dot, so it never collides with a plugin's volume directory). The write is fsync'ed, so a
/// successful probe means the bytes reached the bricks, not only gfapi's write-behind cache.
public struct VolumeHealthProbe: Sendable {
    public static let directory = "/.brickctl-probe"

    /// Bytes in the probe file.
    public var payloadSize: Int

    public init(payloadSize: Int = 4096) {
        self.payloadSize = max(1, payloadSize)
    }

    /// The steps, in order.
    public enum Step: String, Sendable, Hashable, Codable, CaseIterable {
        /// mkdir /.brickctl-probe (exists already after the first probe).
        case prepareDirectory = "mkdir"
        /// create (O_EXCL), write, fsync, close.
        case write
        /// open, read to the end, close.
        case read
        /// compare with what was written.
        case verify
        /// unlink.
        case delete
    }

    public struct Timing: Sendable, Hashable {
        public var step: Step
        public var duration: Duration
    }

    /// A probe that passed.
    public struct Report: Sendable {
        public var volume: String
        public var path: String
        public var bytes: Int
        public var steps: [Timing]
        public var total: Duration { steps.reduce(.zero) { $0 + $1.duration } }
    }

    /// Runs the probe through `handle`.
    /// - Throws: `VolumeProbeError` naming the step that failed; after a failed read or verify the
    ///   probe file is still deleted when possible.
    public func run(on handle: GlusterVolumeHandle) throws -> Report {
        let path = Self.directory + "/" + Self.fileName(host: Self.hostName(), pid: getpid(), token: Self.token())
        let payload = Self.payload(size: payloadSize, path: path)
        var steps: [Timing] = []
        let clock = ContinuousClock()

        func step<T>(_ step: Step, _ body: () throws -> T) throws -> T {
            let start = clock.now
            do {
                let value = try body()
                steps.append(Timing(step: step, duration: clock.now - start))
                return value
            } catch {
                var leftover: String?
                if step == .read || step == .verify || step == .write {
                    // Best effort: do not leave a probe file behind (after a failed write, it may or may not exist).
                    do { try handle.unlink(path) } catch let e as GlusterAPIError where e.kind == .notFound {} catch {
                        if step != .write { leftover = path }
                    }
                }
                throw VolumeProbeError(
                    step: step, volume: handle.volume, path: path, cause: error, completed: steps, leftover: leftover)
            }
        }

        try step(.prepareDirectory) { _ = try handle.makeDirectory(Self.directory, mode: 0o700) }
        try step(.write) { try handle.writeFile(path, payload, mode: 0o600, replacing: false) }
        let back = try step(.read) { try handle.readFile(path, limit: payload.count + 1) }
        try step(.verify) {
            if let mismatch = Self.mismatch(expected: payload, actual: back) {
                throw ProbeMismatch(description: mismatch)
            }
        }
        try step(.delete) { try handle.unlink(path) }
        return Report(volume: handle.volume, path: path, bytes: payload.count, steps: steps)
    }

    // MARK: - Pure parts

    /// "probe-n1-4242-1f3a9c07": host (made safe for a file name), pid, random token.
    static func fileName(host: String, pid: Int32, token: String) -> String {
        let safeHost = String(host.prefix(64).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        return "probe-\(safeHost.isEmpty ? "host" : safeHost)-\(pid)-\(token)"
    }

    /// gethostname(2); Foundation's hostName may ask DNS.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func token() -> String {
        String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// `size` bytes: a header naming the file and the time, then a pattern that differs at every
    /// offset within a block, so a short, shifted or stale read shows.
    static func payload(size: Int, path: String, now: Date = Date()) -> Data {
        var bytes = Array("brickctl probe \(path) \(now.timeIntervalSince1970)\n".utf8.prefix(size))
        var i = bytes.count
        while bytes.count < size {
            bytes.append(UInt8(truncatingIfNeeded: i &* 31 &+ (i >> 8)))
            i += 1
        }
        return Data(bytes)
    }

    /// Why `actual` is not `expected`, or nil when they are equal.
    static func mismatch(expected: Data, actual: Data) -> String? {
        if expected == actual { return nil }
        if actual.count != expected.count {
            return "read back \(actual.count) bytes, wrote \(expected.count)"
        }
        let offset = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
        return "read back different bytes (first difference at offset \(offset))"
    }
}

/// A probe step that failed.
public struct VolumeProbeError: Error, CustomStringConvertible, Sendable {
    public var step: VolumeHealthProbe.Step
    public var volume: String
    public var path: String
    /// The `GlusterAPIError` (or the mismatch) behind it.
    public var cause: any Error
    /// The steps that passed before.
    public var completed: [VolumeHealthProbe.Timing]
    /// A probe file that could not be deleted, if any.
    public var leftover: String?

    public var description: String {
        let what: String
        switch step {
        case .prepareDirectory: what = "could not make \(VolumeHealthProbe.directory)"
        case .write: what = "could not write \(path)"
        case .read: what = "wrote \(path) but could not read it back"
        case .verify: what = "\(path) did not read back as written"
        case .delete: what = "could not delete \(path)"
        }
        let left = leftover.map { "; \($0) is left behind, delete it by hand" } ?? ""
        return "probe of volume \(volume) failed at step \(step.rawValue): \(what): \(cause)\(left)"
    }
}

/// The bytes read back differ from those written.
struct ProbeMismatch: Error, CustomStringConvertible {
    var description: String
}
