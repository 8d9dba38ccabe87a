/// The volume options that turn Gluster's I/O TLS on or off, in the order they are applied, and
/// what puts a volume back when one of them fails half-way (pure).
///
/// `enable` names the certificate files and the names that may connect before it turns
/// client.ssl and server.ssl on; `disable` turns them off before it resets the rest. A change
/// that fails at step k is undone by its first k steps, last first: an option the volume had set
/// gets its old value back, one it had not set is reset to Gluster's default.
public struct VolumeTLSChange: Sendable, Equatable {
    public enum Step: Sendable, Equatable, CustomStringConvertible {
        case set(key: String, value: String)
        case reset(key: String)

        public var key: String {
            switch self {
            case .set(let key, _), .reset(let key): return key
            }
        }

        /// How the step reads in a message: `client.ssl on`, `reset auth.ssl-allow`.
        public var description: String {
            switch self {
            case .set(let key, let value): return "\(key) \(value)"
            case .reset(let key): return "reset \(key)"
            }
        }
    }

    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    /// TLS on, with these files (paths on every server and client) and these certificate names
    /// allowed (auth.ssl-allow).
    public static func enable(certificate: String, key: String, ca: String, allowed: [String]) -> VolumeTLSChange {
        VolumeTLSChange(steps: [
            .set(key: "ssl.own-cert", value: certificate),
            .set(key: "ssl.private-key", value: key),
            .set(key: "ssl.ca-list", value: ca),
            .set(key: "auth.ssl-allow", value: allowed.joined(separator: ",")),
            .set(key: "client.ssl", value: "on"),
            .set(key: "server.ssl", value: "on"),
        ])
    }

    /// TLS off, and the files and names it used forgotten.
    public static let disable = VolumeTLSChange(steps: [
        .set(key: "client.ssl", value: "off"),
        .set(key: "server.ssl", value: "off"),
        .reset(key: "auth.ssl-allow"),
        .reset(key: "ssl.own-cert"),
        .reset(key: "ssl.private-key"),
        .reset(key: "ssl.ca-list"),
    ])

    /// The steps that undo the first `applied` steps, last first, given the options the volume had
    /// set before (`previous`, from `volume info`; a key it lacks was at Gluster's default).
    public func undo(applied: Int, previous: [VolumeInfo.Option]) -> [Step] {
        let before = Dictionary(previous.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        return steps.prefix(applied).reversed().map { step in
            before[step.key].map { Step.set(key: step.key, value: $0) } ?? .reset(key: step.key)
        }
    }
}

/// A `VolumeTLSChange` failed at a step: which one, why, and whether the steps before it were
/// undone (`undoFailure` nil) or not (the options are then half-changed: `undoFailure` says
/// where undoing stopped).
public struct VolumeTLSChangeFailed: Error, Sendable {
    public var volume: String
    public var failedStep: VolumeTLSChange.Step
    public var cause: GlusterCLIError
    /// The steps applied before the failure, now undone unless `undoFailure` is set.
    public var applied: [VolumeTLSChange.Step]
    public var undoFailure: GlusterCLIError?
}
