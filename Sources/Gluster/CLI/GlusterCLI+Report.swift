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
    /// Reads `volume info` and `volume status` of volume `name` with ONE gluster process (the
    /// CLI's prompt mode reads the commands from stdin and answers each with its own XML
    /// document: a gluster process costs ~50 ms of CPU to start, more than the answers), and,
    /// with `heal`, `volume heal NAME info summary` at the same time in a second process (it runs
    /// glfsheal, a gfapi client that connects to every brick: the slowest of the three).
    ///
    /// Only the batch takes brickctl's lock: heal info is read by glfsheal and does not take
    /// glusterd's cluster-wide transaction lock.
    /// - Returns: nil when there is no such volume.
    /// - Throws: `GlusterCLIError` from `volume info` (or when glusterd does not answer).
    public func report(volume name: String, heal: Bool = true) throws(GlusterCLIError) -> VolumeReport? {
        let commands = [["volume", "info", name], ["volume", "status", name]]
        let healSlot = HealSlot()
        let group = DispatchGroup()
        if heal {
            var reader = self
            reader.lockPath = nil
            let healReader = reader
            DispatchQueue.global().async(group: group) {
                healSlot.value = try? healReader.healInfo(name, summary: true)
            }
        }
        let answers: [Result<CLIEnvelope, GlusterCLIError>]
        do {
            answers = try batch(commands, subject: name)
        } catch {
            group.wait()
            throw error
        }
        group.wait()
        let info: VolumeInfo
        switch answers[0] {
        case .success(let envelope):
            do {
                guard let found = try VolumeInfo.list(from: envelope).first(where: { $0.name == name }) else { return nil }
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
        let healInfo = replicated && info.status == .started ? healSlot.value : nil
        return VolumeReport(info: info, status: status, heal: healInfo)
    }

    /// Runs several gluster commands in one process (prompt mode, commands on stdin) and returns
    /// one answer per command, in order. Retries the whole batch while glusterd is busy.
    ///
    /// - Throws: `GlusterCLIError` when the process as a whole fails (glusterd not running,
    ///   timeout, no answer); a refused command is a `.failure` in the result instead.
    public func batch(_ commands: [[String]], subject: String? = nil) throws(GlusterCLIError) -> [Result<CLIEnvelope, GlusterCLIError>] {
        for word in commands.joined() where word.isEmpty || word.contains(where: \.isWhitespace) {
            throw .cannotRun(command: "gluster", reason: "\"\(word)\" cannot be passed in a batch (empty or with white space)")
        }
        let command = commands.map { display($0) }.joined(separator: "; ")
        let input = commands.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n"
        return try lockedRetryingWhileBusy(command) { () throws(GlusterCLIError) in
            let output: Command.Output
            do {
                output = try Command("timeout", argv([])).run(input: input)
            } catch {
                throw .cannotRun(command: command, reason: "\(error)")
            }
            let documents = output.stdout.components(separatedBy: "<?xml").dropFirst().map { "<?xml" + $0 }
            guard documents.count == commands.count else {
                // Not one answer per command: judge the whole output for glusterd-down, timeouts.
                _ = try GlusterCLI.judge(
                    status: output.status == 0 ? 1 : output.status, stdout: output.stdout, stderr: output.stderr,
                    expectsXML: true, command: command, subject: subject, timeout: timeout)
                throw .failed(command: command, status: output.status, output: "expected \(commands.count) answers, got \(documents.count)")
            }
            var answers: [Result<CLIEnvelope, GlusterCLIError>] = []
            for (arguments, document) in zip(commands, documents) {
                do throws(GlusterCLIError) {
                    let answer = try GlusterCLI.judge(
                        status: 0, stdout: document, stderr: "", expectsXML: true, command: display(arguments), subject: subject,
                        timeout: timeout)
                    guard case .envelope(let envelope) = answer else {
                        answers.append(.failure(.unreadable(command: display(arguments), GlusterXMLError("no <cliOutput>", in: document))))
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
            return answers
        }
    }
}

/// The heal answer, written by the concurrent reader.
private final class HealSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: HealInfo?
    var value: HealInfo? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
