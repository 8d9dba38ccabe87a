public import Foundation
public import Stack

extension BackupObservation {
    /// The suffix Docker gives the stack's backups volume (`STACK_backups`).
    public static let volumeSuffix = "_\(WordPressStack.backupsVolume)"

    /// The stack whose backups volume a Docker volume named `name` is (`wp_backups` → `wp`); nil
    /// for any other name.
    public static func stack(ofVolume name: String) -> String? {
        guard name.hasSuffix(volumeSuffix), name.count > volumeSuffix.count else { return nil }
        return String(name.dropLast(volumeSuffix.count))
    }

    /// What the backup service's status file says. A status whose `lastGood.time` cannot be read
    /// counts as no good dump (the service is known, its age is not).
    public init(stack: String, status: BackupStatus, source: String? = nil) {
        self.init(
            stack: stack, newestGoodDump: status.lastGood.flatMap { Self.time($0.time) }, file: status.lastGood?.file,
            lastAttemptOk: status.lastAttemptOk, lastError: status.lastError?.message, source: source)
    }

    /// The status file's `time` (ISO 8601, UTC, whole seconds or with a fraction).
    static func time(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// Seconds since the newest good dump at `now` (nil: none).
    public func age(at now: Date) -> TimeInterval? { newestGoodDump.map { now.timeIntervalSince($0) } }
}
