import Foundation
import HostIO

/// Everything `brickctl volume status` shows about one volume, read at once.
public struct VolumeReport: Sendable {
    public var info: VolumeInfo
    /// nil when the volume is not started.
    public var status: VolumeStatus?
    /// nil when not asked for, not replicated, or glfsheal could not answer.
    public var heal: HealInfo?
    public var health: VolumeHealth { VolumeHealth.assess(volume: info, status: status, heal: heal) }
}

extension GlusterCLI {
    /// Reads `volume info` and `volume status` of volume `name` and, with `heal`, the self-heal
    /// daemons' count of pending entries (`volume heal NAME statistics heal-count`), all with ONE
    /// gluster process: the CLI's prompt mode reads the commands from stdin and answers each in
    /// turn. A gluster process costs ~50 ms of CPU to start, more than the answers.
    ///
    /// Only when that count is not clean (entries pending, a brick not counted, or the count
    /// failed, e.g. a self-heal daemon is down) is `volume heal NAME info summary` asked too: it
    /// runs glfsheal, a gfapi client that connects to every brick (~20 ms more), and adds the
    /// split-brain and possibly-healing counts. It does not take brickctl's lock (glfsheal reads
    /// the bricks; it takes no glusterd transaction).
    /// - Returns: nil when there is no such volume.
    /// - Throws: `GlusterCLIError` from `volume info` (or when glusterd does not answer).
    public func report(volume name: String, heal: Bool = true) async throws(GlusterCLIError) -> VolumeReport? {
        let commands = [["volume", "info", name], ["volume", "status", name]]
        let healCount = heal ? ["volume", "heal", name, "statistics", "heal-count"] : nil
        let (answers, healCountText) = try await batch(commands, subject: name, thenText: healCount)
        let info: VolumeInfo
        switch answers[0] {
        case .success(let envelope):
            do {
                guard let found = try VolumeInfo.list(from: envelope).first(where: { $0.name == name }) else {
                    return nil
                }
                info = found
            } catch {
                throw .unreadable(command: display(commands[0]), error)
            }
        case .failure(.refused(let refusal, _)) where refusal.kind == .noSuchVolume:
            return nil
        case .failure(let error):
            throw error
        }
        var status: VolumeStatus?
        if info.status == .started {
            switch answers[1] {
            case .success(let envelope):
                do {
                    status = try VolumeStatus.list(from: envelope).first { $0.name == name }
                } catch {
                    throw .unreadable(command: display(commands[1]), error)
                }
            case .failure(.refused(let refusal, _)) where refusal.kind == .volumeNotStarted:
                status = nil
            case .failure(let error):
                throw error
            }
        }
        let replicated = info.replicaCount > 1 || info.disperseCount > 0
        guard heal, replicated, info.status == .started else {
            return VolumeReport(info: info, status: status, heal: nil)
        }
        var healInfo = healCountText.flatMap { HealInfo.decode(healCount: $0) }
        if healInfo?.isClean(for: info) != true {
            var reader = self
            reader.lockPath = nil
            healInfo = (try? await reader.healInfo(name, summary: true)) ?? healInfo
        }
        return VolumeReport(info: info, status: status, heal: healInfo)
    }

    /// Runs several gluster commands in one process (prompt mode, commands on stdin) and returns
    /// one answer per command, in order, and the plain-text answer of `thenText` (a command with
    /// no XML form, run last): what stdout holds after the last XML answer, nil when empty. A
    /// failed plain-text command prints on stderr and is not told apart from the others there.
    /// Retries the whole batch while glusterd is busy.
    ///
    /// - Throws: `GlusterCLIError` when the process as a whole fails (glusterd not running,
    ///   timeout, no answer); a refused command is a `.failure` in the result instead.
    public func batch(
        _ commands: [[String]], subject: String? = nil, thenText textCommand: [String]? = nil
    ) async throws(GlusterCLIError) -> (answers: [Result<CLIEnvelope, GlusterCLIError>], text: String?) {
        let all = commands + (textCommand.map { [$0] } ?? [])
        for word in all.joined() where word.isEmpty || word.contains(where: \.isWhitespace) {
            throw .cannotRun(
                command: "gluster", reason: "\"\(word)\" cannot be passed in a batch (empty or with white space)")
        }
        let command = all.map { display($0) }.joined(separator: "; ")
        let input: String = all.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n"
        return try await locked(command) { () throws(GlusterCLIError) in
            let output: Command.Output
            do {
                output = try Command("timeout", argv([])).run(input: input)
            } catch {
                throw .cannotRun(command: command, reason: "\(error)")
            }
            let (documents, rest) = GlusterCLI.splitPromptOutput(output.stdout)
            guard documents.count == commands.count else {
                // Not one answer per command: judge the whole output for glusterd-down, timeouts.
                _ = try GlusterCLI.judge(
                    status: output.status == 0 ? 1 : output.status, stdout: output.stdout, stderr: output.stderr,
                    expectsXML: true, command: command, subject: subject, timeout: timeout)
                throw .failed(
                    command: command, status: output.status,
                    output: "expected \(commands.count) answers, got \(documents.count)")
            }
            var answers: [Result<CLIEnvelope, GlusterCLIError>] = []
            for (arguments, document) in zip(commands, documents) {
                do throws(GlusterCLIError) {
                    let answer = try GlusterCLI.judge(
                        status: 0, stdout: document, stderr: "", expectsXML: true, command: display(arguments),
                        subject: subject,
                        timeout: timeout)
                    guard case .envelope(let envelope) = answer else {
                        answers.append(
                            .failure(
                                .unreadable(
                                    command: display(arguments), GlusterXMLError("no <cliOutput>", in: document))))
                        continue
                    }
                    answers.append(.success(envelope))
                } catch {
                    if case .refused(let refusal, _) = error, refusal.kind == .busy {
                        throw error  // the whole batch again
                    }
                    answers.append(.failure(error))
                }
            }
            return (answers, textCommand == nil || rest.isEmpty ? nil : rest)
        }
    }

    /// Splits what gluster's prompt mode printed on stdout into its XML answers (each from
    /// `<?xml` to the end of `</cliOutput>`, or to the next `<?xml` when that end is missing) and
    /// the trimmed text after the last one.
    static func splitPromptOutput(_ stdout: String) -> (documents: [String], rest: String) {
        var documents: [String] = []
        var rest = Substring(stdout)
        while let start = rest.range(of: "<?xml") {
            let afterStart = rest[start.upperBound...]
            let next = afterStart.range(of: "<?xml")?.lowerBound ?? rest.endIndex
            let end = afterStart[..<next].range(of: "</cliOutput>")?.upperBound ?? next
            documents.append(String(rest[start.lowerBound..<end]))
            rest = rest[end...]
        }
        let text = documents.isEmpty ? "" : rest.trimmingCharacters(in: .whitespacesAndNewlines)
        return (documents, text)
    }
}
