import Foundation

extension GlusterCLI {
    /// What one run of the gluster CLI answered, once judged.
    enum Answer: Hashable, Sendable {
        case envelope(CLIEnvelope)
        /// A plain-text success (`volume heal NAME [full]` prints text even with `--xml`).
        case text(String)
    }

    /// Judges one finished gluster run. Pure: exit status and output in, answer or error out.
    ///
    /// - `timeout` (the watchdog) exits 124, or 137 when it had to KILL: timed out.
    /// - "Connection failed. Please check if gluster daemon is operational." (stdout, exit 1):
    ///   glusterd is not running.
    /// - "Error : Request timed out" (stdout, exit 1): gluster's own `--timeout` expired.
    /// - XML: glusterd's opRet decides, whatever the exit status (refusals exit 0, 251 or 254);
    ///   a success with a non-zero exit is reported as a failure.
    /// - Plain text (text commands): exit 0 = success; otherwise glusterd's reason, without the
    ///   CLI's "Launching heal operation … has been unsuccessful:" line.
    static func judge(
        status: Int32, stdout: String, stderr: String, expectsXML: Bool, command: String, subject: String?,
        timeout: Int
    ) throws(GlusterCLIError) -> Answer {
        let out = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let err = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == 124 || status == 137 {
            // The watchdog, which allows gluster's own timeout 10 s more.
            throw .timedOut(command: command, seconds: timeout + 10)
        }
        for text in [out, err]
        where text.contains("Please check if gluster daemon is operational") || text.hasPrefix("Connection failed") {
            throw .glusterdNotRunning(command: command, output: text)
        }
        if out.contains("Error : Request timed out") || err.contains("Error : Request timed out") {
            throw .timedOut(command: command, seconds: timeout)
        }
        if expectsXML, out.contains("<cliOutput") {
            let envelope: CLIEnvelope
            do {
                envelope = try CLIEnvelope(parsing: stdout)
            } catch {
                throw .unreadable(command: command, error)
            }
            guard envelope.succeeded else {
                throw .refused(envelope.refusal(subject: subject), command: command)
            }
            guard status == 0 else {
                throw .failed(
                    command: command, status: status, output: err.isEmpty ? "glusterd reported success (opRet 0)" : err)
            }
            return .envelope(envelope)
        }
        if status == 0 {
            if expectsXML {
                throw .unreadable(
                    command: command, GlusterXMLError("no <cliOutput> in the answer", in: out.isEmpty ? err : out))
            }
            return .text(out)
        }
        var message = err.isEmpty ? out : err
        if let firstLine = message.split(separator: "\n", maxSplits: 1).first, firstLine.hasSuffix("unsuccessful:") {
            message = String(message.dropFirst(firstLine.count)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if message.isEmpty {
            throw .failed(command: command, status: status, output: "")
        }
        throw .refused(GlusterRefusal.interpret(message, subject: subject), command: command)
    }
}
