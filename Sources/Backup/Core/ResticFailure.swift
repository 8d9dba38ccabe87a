import Foundation

/// Why a restic command failed, read from its exit status and message (restic 0.14's wording):
/// a typed code for the command layer to word, and restic's own message.
public struct ResticFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Equatable, Sendable {
        /// "wrong password or no key found".
        case wrongPassword
        /// "Is there a repository at the following location?" / "repository does not exist".
        case noRepository
        /// "config file already exists" (init of an existing repository).
        case alreadyInitialized
        /// "repository is already locked" by a live process.
        case locked
        /// An sftp repository whose ssh did not start an sftp session ("unable to start the sftp
        /// session": the host unreachable, its host key unknown or changed, no key accepted).
        case sshFailed
        /// Exit 3 of `backup`: a snapshot was made but some files could not be read.
        case incomplete
        /// Anything else.
        case failed(status: Int32)
    }

    public var code: Code
    /// What restic said (its stderr, trimmed), for the user.
    public var message: String
    /// The restic subcommand (`backup`, `check`, ...).
    public var command: String

    public init(command: String, status: Int32, stderr: String) {
        self.command = command
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        message = lines.suffix(6).joined(separator: "; ")
        let text = stderr.lowercased()
        if text.contains("wrong password or no key found") {
            code = .wrongPassword
        } else if text.contains("config file already exists") {
            code = .alreadyInitialized
        } else if text.contains("is there a repository at the following location")
            || text.contains("repository does not exist") || text.contains("unable to open config file")
        {
            code = .noRepository
        } else if text.contains("unable to start the sftp session") {
            code = .sshFailed
        } else if text.contains("repository is already locked") {
            code = .locked
        } else if command == "backup" && status == 3 {
            code = .incomplete
        } else {
            code = .failed(status: status)
        }
    }

    public var description: String { "restic \(command): \(message)" }
}
