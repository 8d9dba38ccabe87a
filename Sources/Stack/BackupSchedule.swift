/// How often the stack's `backup` service dumps the database and how many dumps it keeps.
public struct BackupSchedule: Equatable, Sendable {
    /// Seconds between two dumps.
    public var everySeconds: Int
    /// Complete dumps kept on the volume (older ones are removed after each good dump).
    public var keep: Int

    /// The most CPU the dumping may use (`deploy.resources.limits.cpus` of the service: the
    /// container's CFS quota), nil: no limit. The dump competes with the site for the CPU; with a
    /// limit it takes longer but the site keeps its pages/s (scripts/bench/backup-load).
    public var cpus: Double?

    /// The default CPU limit: a tenth of one CPU (a 20 MiB database dumps in ~4 s; one
    /// of 1 GiB, extrapolated, in ~4 min: inside the default interval).
    public static let defaultCPUs = 0.1

    /// Every 15 minutes, 96 kept: one day of dumps, losing at most 15 minutes of writes; the dump
    /// held to `defaultCPUs`.
    public init(everySeconds: Int = 900, keep: Int = 96, cpus: Double? = Self.defaultCPUs) {
        self.everySeconds = everySeconds
        self.keep = keep
        self.cpus = cpus
    }

    /// The CPU limit as Compose writes it (`0.25`), nil without one.
    public var cpusText: String? { cpus.map { "\($0)" } }

    /// Parses an interval: a number with a unit, `s`, `m`, `h` or `d` (`90s`, `15m`, `1h`); a
    /// bare number is seconds. Nil when it is not one.
    public static func seconds(of text: String) -> Int? {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var digits = Substring(text)
        var factor = 1
        if let last = text.last, let unit = units[last] {
            digits = text.dropLast()
            factor = unit
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), value > 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// The interval the way `seconds(of:)` reads it back (`900` → `15m`).
    public static func text(ofSeconds seconds: Int) -> String {
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    /// Why the schedule cannot work, nil when it can.
    public var problem: BackupScheduleProblem? {
        if everySeconds < 10 || everySeconds > 7 * 86400 { return .interval(everySeconds) }
        if keep < 1 || keep > 100_000 { return .keep(keep) }
        if let cpus, !(cpus >= 0.01 && cpus <= 1024) { return .cpus(cpus) }
        return nil
    }
}

/// A schedule value out of range (the command layer says which option to change).
public enum BackupScheduleProblem: Equatable, Sendable {
    /// The interval, seconds: 10 s to 7 days.
    case interval(Int)
    /// Dumps kept: 1 to 100000.
    case keep(Int)
    /// The CPU limit: 0.01 to 1024 CPUs.
    case cpus(Double)
}
