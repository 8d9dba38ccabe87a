/// What `findmnt --verify --tab-file FILE` said about a candidate fstab, and whether brickctl accepts it.
///
/// util-linux 2.38 (Debian 12) prints parse errors on stderr (`findmnt: FILE: parse error at line 7 --
/// ignored`), then per mount point on stdout the target followed by `   [E] …` errors, `   [W] …`
/// warnings and `   [ ] …` notes, and a summary on stderr (`1 parse error, 2 errors, 3 warnings`, or
/// `Success, no errors or warnings detected` on stdout). It exits 1 whenever there is a parse error or
/// an error — and "errors" include a mount point directory or `UUID=` source that does not exist yet,
/// which is normal while a brick is being prepared, and stale entries of other disks.
///
/// The policy (see `rejection(of:previous:)`): a parse error on a line this edit introduced rejects
/// the file, and so does output findmnt did not finish (no summary: it could not read the file).
/// Parse errors on lines that were already in the file before the edit, `[E]` errors and `[W]`
/// warnings are accepted and handed back as `problems`, for the caller to judge its own entry.
public struct FstabVerification: Sendable, Equatable {
    /// One `[E]`, `[W]` or `[ ]` line findmnt printed under a mount point.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public enum Severity: Sendable, Equatable {
            case error, warning, note
        }
        /// The mount point findmnt printed the problem under.
        public var target: String
        public var severity: Severity
        public var message: String

        public var description: String {
            let tag = severity == .error ? "E" : severity == .warning ? "W" : " "
            return "\(target): [\(tag)] \(message)"
        }
    }

    /// findmnt's exit status.
    public var status: Int32
    /// The 1-based line numbers findmnt could not parse.
    public var parseErrorLines: [Int]
    /// The `[E]`, `[W]` and `[ ]` lines, with the mount point each was printed under.
    public var problems: [Problem]
    /// findmnt's last word: the counts line or the success line, nil when it printed neither.
    public var summary: String?
    /// Everything findmnt printed, stdout then stderr, for error messages.
    public var output: String

    /// Reads findmnt's output.
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.output = [stdout, stderr].map { $0.trimmingBlankLines() }.filter { !$0.isEmpty }.joined(separator: "\n")
        var parseErrorLines: [Int] = []
        var summary: String?
        for line in stderr.split(separator: "\n").map(String.init) {
            if let rest = line.after("parse error at line ") {
                if let number = Int(rest.prefix { $0.isASCII && $0.isNumber }) { parseErrorLines.append(number) }
            } else if line.contains(" parse error") && line.contains(" warning") {
                summary = line
            }
        }
        var problems: [Problem] = []
        var target = ""
        for line in stdout.split(separator: "\n").map(String.init) {
            if line.hasPrefix("Success,") {
                summary = summary ?? line
            } else if let tagged = Problem(line: line, target: target) {
                problems.append(tagged)
            } else if !line.hasPrefix(" ") && !line.isEmpty {
                target = line
            }
        }
        self.parseErrorLines = parseErrorLines
        self.problems = problems
        self.summary = summary
    }

    /// Why brickctl refuses `file` as the new fstab, or nil when it accepts it.
    ///
    /// A parse error rejects the file when the text on that line was not already a line of
    /// `previous` (compared byte for byte): brickctl never writes a line libmount cannot read, but it
    /// does not refuse to touch a file because of a broken line someone else left there.
    public func rejection(of file: FstabFile, previous: FstabFile) -> String? {
        guard summary != nil else {
            return output.isEmpty ? "findmnt exited \(status) without output" : output
        }
        guard !parseErrorLines.isEmpty else { return nil }
        let known = Set(previous.lines.map { Array($0.text.utf8) })
        let introduced = parseErrorLines.filter { number in
            guard number >= 1, number <= file.lines.count else { return true }
            return !known.contains(Array(file.lines[number - 1].text.utf8))
        }
        guard !introduced.isEmpty else { return nil }
        let described = introduced.map { number in
            number <= file.lines.count
                ? "line \(number) \"\(file.lines[number - 1].text)\" does not parse"
                : "line \(number) does not parse"
        }
        return described.joined(separator: "; ")
    }
}

extension FstabVerification.Problem {
    /// Reads `   [E] message`; nil for any other line.
    init?(line: String, target: String) {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.count < line.count, trimmed.hasPrefix("["), trimmed.dropFirst(2).hasPrefix("] ") else {
            return nil
        }
        let severity: Severity
        switch trimmed.dropFirst().first {
        case "E": severity = .error
        case "W": severity = .warning
        default: severity = .note
        }
        self.init(target: target, severity: severity, message: String(trimmed.dropFirst(4)))
    }
}

extension String {
    /// The text after the first occurrence of `marker`, or nil when it does not occur.
    fileprivate func after(_ marker: String) -> Substring? {
        var rest = self[...]
        while !rest.isEmpty {
            if rest.hasPrefix(marker) { return rest.dropFirst(marker.count) }
            rest = rest.dropFirst()
        }
        return nil
    }

    fileprivate func trimmingBlankLines() -> String {
        split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "\n")
    }
}
