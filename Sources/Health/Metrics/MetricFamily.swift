/// One metric family in Prometheus's text exposition format (version 0.0.4): its name, help,
/// type and samples.
public struct MetricFamily: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case gauge
        case counter
        /// Samples named `NAME_bucket` (with `le`), `NAME_sum`, `NAME_count` (their `suffix`).
        case histogram
    }

    public struct Sample: Hashable, Sendable {
        /// Label names and values, in the order written.
        public var labels: [Label]
        public var value: Double
        /// Appended to the family's name (`_bucket`, `_sum`, `_count` of a histogram), else "".
        public var suffix: String

        public init(_ labels: [Label] = [], _ value: Double, suffix: String = "") {
            self.labels = labels
            self.value = value
            self.suffix = suffix
        }
    }

    public struct Label: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    public var help: String
    public var kind: Kind
    public var samples: [Sample]

    public init(_ name: String, _ kind: Kind, help: String, samples: [Sample] = []) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }

    /// The content type of `render`'s output.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The text exposition of `families`: `# HELP`, `# TYPE`, then one line per sample. Families
    /// without samples are left out (Prometheus treats an absent series as absent, not 0).
    public static func render(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in families where !family.samples.isEmpty {
            out += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                out += family.name + sample.suffix
                if !sample.labels.isEmpty {
                    out += "{"
                    out += sample.labels.map { "\($0.name)=\"\(escapeLabel($0.value))\"" }.joined(separator: ",")
                    out += "}"
                }
                out += " \(format(sample.value))\n"
            }
        }
        return out
    }

    /// A sample value: integers without a fraction, `NaN`, `+Inf`, `-Inf`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Label values escape `\`, `"` and newline.
    static func escapeLabel(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Help text escapes `\` and newline.
    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
