import ArgumentParser
import Backup
import Foundation
import HostIO

/// Which restic repository and password file a `brickctl backup` command uses: the options, or
/// what `backup init` recorded in the state folder (`repository.json`: the location and the
/// password file's path, never the password).
struct BackupRepositoryOptions: ParsableArguments {
    @Option(help: "The restic repository: a local path, sftp:HOST:/PATH, or any restic repository URL.")
    var repo: String?

    @Option(help: "The file holding the repository's password (mode 0600, or a Docker secret under /run/secrets).")
    var passwordFile: String?

    @Option(help: "Where brickctl keeps the repository's settings and stages dumps.")
    var stateDir = "/var/lib/brickctl/backup"

    struct Settings: Codable {
        var repository: String
        var passwordFile: String
    }

    var settingsFile: String { "\(stateDir)/repository.json" }

    func recorded() -> Settings? {
        guard let data = FileManager.default.contents(atPath: settingsFile) else { return nil }
        return try? JSONDecoder().decode(Settings.self, from: data)
    }

    func record(_ settings: Settings) throws {
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        try AtomicFile.write(try JSONEncoder().encode(settings), to: settingsFile, mode: 0o600)
    }

    /// The repository to use, its password file checked.
    /// - Throws: `CommandFailure` when neither the options nor `backup init` name one, or the
    ///   password file cannot be used.
    func restic() throws -> Restic {
        let saved = recorded()
        guard let repository = repo ?? saved?.repository, let file = passwordFile ?? saved?.passwordFile else {
            throw CommandFailure(
                "no restic repository: give --repo REPO --password-file FILE, or run brickctl backup init --repo REPO --password-file FILE once"
            )
        }
        try Self.checkPasswordFile(file)
        return Restic(repository: repository, passwordFile: absolute(file))
    }

    func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    static func checkPasswordFile(_ path: String) throws {
        var st = stat()
        let exists = stat(path, &st) == 0
        let check = PasswordFileCheck.judge(
            path: path, exists: exists, isRegular: exists && (st.st_mode & S_IFMT) == S_IFREG, size: Int(st.st_size),
            mode: UInt32(st.st_mode))
        guard check == .ok else {
            throw CommandFailure(BackupError.passwordFile(path: path, check).commandLineMessage)
        }
    }
}

extension BackupError {
    /// The error as the command line shows it.
    var failure: CommandFailure { CommandFailure(commandLineMessage) }
}

/// Runs `body`, turning a `BackupError` into the command line's sentence.
func withBackupErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as BackupError {
        throw error.failure
    }
}
