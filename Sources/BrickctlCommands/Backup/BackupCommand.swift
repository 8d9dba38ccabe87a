import ArgumentParser
import Backup
import Foundation
import HostIO
import Stack
import Synchronization

/// `brickctl backup init|create|list|check|forget|restore`: off-cluster, deduplicated, encrypted
/// snapshots of a stack's database dump and shared files, with restic as the engine.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Snapshots of a stack's database and files in a restic repository (off the cluster).",
        discussion: """
            The repository's password is read by restic from a file (--password-file, mode 0600, or a \
            Docker secret): never from the command line or the environment. `backup init` records the \
            repository and the password file's path for the other commands.
            """,
        subcommands: [Init.self, Create.self, List.self, Check.self, Forget.self, Restore.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the restic repository (kept when it exists) and record it for the other commands.",
            discussion: "Safe to run twice. A missing password file is made with 64 random characters (0600).")

        @OptionGroup var repository: BackupRepositoryOptions

        @Flag(help: "Show what would be done, change nothing.")
        var dryRun = false

        func run() throws {
            guard let repo = repository.repo, let file = repository.passwordFile else {
                throw ValidationError("give --repo REPO and --password-file FILE")
            }
            let path = repository.absolute(file)
            if !FileManager.default.fileExists(atPath: path) {
                if dryRun {
                    print("would create password file \(path) (64 random characters, mode 0600)")
                } else {
                    try FileManager.default.createDirectory(
                        atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                        withIntermediateDirectories: true)
                    try AtomicFile.write(
                        Data((StackFiles.randomSecret(length: 64) + "\n").utf8), to: path, mode: 0o600)
                    print(
                        "password file \(path): created (64 random characters); keep a copy off this machine: without it the backups cannot be read"
                    )
                }
            }
            if dryRun && !FileManager.default.fileExists(atPath: path) {
                print("would init restic repository \(repo) and record it in \(repository.settingsFile)")
                return
            }
            try BackupRepositoryOptions.checkPasswordFile(path)
            let restic = Restic(repository: repo, passwordFile: path)
            try withBackupErrors {
                if try restic.exists() {
                    print("repository \(repo): exists and opens with this password, kept")
                } else if dryRun {
                    print("would init restic repository \(repo)")
                } else {
                    try restic.initialize()
                    print("repository \(repo): created (restic, encrypted with the password in \(path))")
                }
            }
            if dryRun {
                print("would record the repository in \(repository.settingsFile)")
            } else {
                try repository.record(.init(repository: repo, passwordFile: path))
                print("recorded in \(repository.settingsFile): the next brickctl backup commands use it")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One snapshot: a fresh, verified database dump of the stack and its shared files.",
            discussion: """
                The dump comes from the stack's backup service: brickctl asks it for a fresh dump (a \
                dump-now file on the NAME_backups volume) and waits for it, or with --no-fresh-dump \
                takes the newest there; its sha256 is checked before it is saved. The folders are the \
                stack's brickctl volumes on Gluster (--volume: mounted here with the FUSE client, on a \
                pool node) or folders already mounted (--backups-dir, --files-dir). Safe to run again \
                after an interruption: restic keeps the repository consistent and the next run completes.
                """)

        @OptionGroup var repository: BackupRepositoryOptions

        @Option(help: "The stack's name.")
        var stack = "wp"

        @Option(help: "The Gluster volume of the brickctl volume plugin (mounts the stack's volumes here).")
        var volume: String?

        @OptionGroup var mountServer: GlusterMountServerOption

        @Option(help: "What the stack shares on the volume (its files to save): wp-content or uploads.")
        var share = SharedContent.wpContent

        @Option(help: "The folder of the stack's dumps (the NAME_backups volume), instead of --volume.")
        var backupsDir: String?

        @Option(help: "The folder of the site's shared files, instead of --volume.")
        var filesDir: String?

        @Flag(help: "Save only the database dump.")
        var noFiles = false

        @Flag(inversion: .prefixedNo, help: "Ask the backup service for a fresh dump first (else: the newest there).")
        var freshDump = true

        @Option(help: "Seconds to wait for the fresh dump.")
        var dumpTimeout = 300

        @OptionGroup var resticTimeout: ResticTimeoutOption

        @Flag(help: "Show what would be saved, save nothing.")
        var dryRun = false

        @OptionGroup var output: JSONFlag

        func run() async throws {
            if volume == nil && backupsDir == nil {
                throw ValidationError("give --volume GLUSTER_VOLUME (mounted here) or --backups-dir DIR")
            }
            let restic = try repository.restic()
            let root = "/run/brickctl/backup/\(stack)"
            var mounts: [GlusterFolderMount] = []
            defer { for mount in mounts.reversed() { mount.unmount() } }
            let dumpsPath: String
            var filesPath: String? = noFiles ? nil : filesDir.map(repository.absolute)
            if let volume, backupsDir == nil {
                let backups = try withBackupErrors {
                    try GlusterFolderMount.mount(
                        server: mountServer.server, volume: volume,
                        folder: GlusterFolderMount.pluginVolume("\(stack)_\(WordPressStack.backupsVolume)"),
                        at: "\(root)/backups", readOnly: !freshDump || dryRun)
                }
                mounts.append(backups)
                dumpsPath = backups.mountPoint
                if !noFiles && filesDir == nil {
                    let files = try withBackupErrors {
                        try GlusterFolderMount.mount(
                            server: mountServer.server, volume: volume,
                            folder: GlusterFolderMount.pluginVolume("\(stack)_\(share.volume)"), at: "\(root)/files",
                            readOnly: true)
                    }
                    mounts.append(files)
                    filesPath = files.mountPoint
                }
            } else {
                dumpsPath = repository.absolute(backupsDir!)
            }
            let folder = DumpFolder(path: dumpsPath)
            let creation = BackupCreation(
                restic: restic, stack: stack, dumps: folder, files: filesPath,
                stagingRoot: "\(repository.stateDir)/\(stack)",
                wordpressVersion: dryRun ? nil : Self.wordpressVersion(stack: stack))

            if dryRun {
                let dump = try withBackupErrors { try folder.newest() }
                print(
                    "would \(freshDump ? "ask the backup service for a fresh dump (now newest: \(dump.name))" : "save \(dump.name)")"
                        + " and \(filesPath.map { "the files in \($0)" } ?? "no files") into \(restic.repository), tagged stack=\(stack)"
                )
                return
            }
            let dump: DumpFile
            if freshDump {
                printStatus("asking \(stack)'s backup service for a fresh dump (at most \(dumpTimeout) s)")
                do {
                    dump = try await folder.freshDump(seconds: dumpTimeout)
                } catch let error as BackupError {
                    throw error.failure
                }
            } else {
                dump = try withBackupErrors { try folder.newest() }
            }
            printStatus(
                "WordPress version: \(creation.wordpressVersion ?? "unknown (the site did not answer here; the snapshot has no wordpress= tag)")"
            )
            printStatus("saving \(dump.name)\(filesPath.map { " and \($0)" } ?? "") into \(restic.repository)")
            let throttle = ProgressThrottle()
            let seconds = resticTimeout.seconds
            let result = try await BlockingPool.shared.run("restic backup", seconds: seconds + 60) {
                try withBackupErrors {
                    try creation.run(dump: dump, timeout: seconds) { status in
                        if throttle.due() { printStatus("backup: \(status.line)") }
                    }
                }
            }
            if output.json {
                print(try JSONOutput.encode(result))
            } else {
                print(
                    "snapshot \(result.snapshot.prefix(8)) of stack \(stack): \(result.dump) (dumped \(result.dumpTime))"
                        + (result.files.map {
                            ", files of \($0): \(result.filesNew) new, \(result.filesChanged) changed, \(result.filesUnmodified) unchanged"
                        } ?? "")
                        + "; \(ResticMessage.Status.mebibytes(result.bytesAdded)) MiB added to the repository in \(String(format: "%.1f", result.seconds)) s"
                )
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stack's snapshots in the repository.")

        @OptionGroup var repository: BackupRepositoryOptions

        @Option(help: "Only this stack's snapshots.")
        var stack: String?

        @OptionGroup var output: JSONFlag

        func run() throws {
            let restic = try repository.restic()
            let tags = [BackupSnapshot.marker] + (stack.map { ["stack=\($0)"] } ?? [])
            let snapshots = try withBackupErrors { try restic.snapshots(tags: tags) }
            if output.json {
                print(try JSONOutput.encode(snapshots))
                return
            }
            var table = TextTable(["SNAPSHOT", "TIME", "STACK", "DUMP TIME", "PATHS"])
            for snapshot in snapshots {
                table.add([
                    snapshot.short_id, String(snapshot.time.prefix(19)), snapshot.stack ?? "-",
                    snapshot.dumpTime ?? "-", snapshot.paths.joined(separator: " "),
                ])
            }
            print(table.render(), terminator: "")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "restic check of the repository (stale locks of killed runs removed first).")

        @OptionGroup var repository: BackupRepositoryOptions

        @Option(help: "Also read this percentage of the data back (0: structure only).")
        var readData = 0

        func run() throws {
            let restic = try repository.restic()
            try withBackupErrors {
                try restic.unlockStale()
                _ = try restic.check(readDataPercent: readData)
            }
            print(
                "repository \(restic.repository): no errors (restic check\(readData > 0 ? ", \(readData)% of the data read" : ""))"
            )
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop the stack's older snapshots by restic's policy (--prune frees their data).")

        @OptionGroup var repository: BackupRepositoryOptions

        @Option(help: "The stack's name.")
        var stack = "wp"

        @Option(help: "Keep the newest N snapshots.")
        var keepLast: Int?

        @Option(help: "Keep the last snapshot of each of the last N days.")
        var keepDaily: Int?

        @Option(help: "Keep the last snapshot of each of the last N weeks.")
        var keepWeekly: Int?

        @Flag(help: "Also remove the data no snapshot uses any more (restic prune).")
        var prune = false

        @Flag(help: "Show what would be removed, remove nothing.")
        var dryRun = false

        func validate() throws {
            if keepLast == nil && keepDaily == nil && keepWeekly == nil {
                throw ValidationError("give at least one of --keep-last, --keep-daily, --keep-weekly")
            }
        }

        func run() throws {
            let restic = try repository.restic()
            let out = try withBackupErrors {
                try restic.unlockStale()
                return try restic.forget(
                    host: BackupSnapshot.host(stack: stack), keepLast: keepLast, keepDaily: keepDaily,
                    keepWeekly: keepWeekly, prune: prune, dryRun: dryRun)
            }
            print(out, terminator: out.hasSuffix("\n") ? "" : "\n")
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a snapshot's dump and files into a folder (the dump's sha256 checked).")

        @OptionGroup var repository: BackupRepositoryOptions

        @Argument(help: "A snapshot id, or latest (the stack's newest).")
        var snapshot = "latest"

        @Option(help: "The stack's name (for latest).")
        var stack = "wp"

        @Option(help: "An empty folder to restore into.")
        var target: String

        @OptionGroup var resticTimeout: ResticTimeoutOption

        @OptionGroup var output: JSONFlag

        func run() async throws {
            let restic = try repository.restic()
            let target = repository.absolute(self.target)
            let seconds = resticTimeout.seconds
            let stack = self.stack
            let snapshot = self.snapshot
            let restored = try await BlockingPool.shared.run("restic restore", seconds: seconds + 60) {
                try withBackupErrors {
                    try SnapshotRestore(restic: restic, stack: stack).run(
                        snapshot: snapshot, target: target, timeout: seconds)
                }
            }
            if output.json {
                print(try JSONOutput.encode(restored))
            } else {
                print(
                    "restored snapshot \(restored.snapshot.prefix(8)) into \(target): dump \(restored.dump) (dumped \(restored.dumpTime), sha256 verified)"
                        + (restored.files.map { ", files in \($0)" } ?? ""))
            }
        }
    }
}

/// Prints a status line on stderr at once (also through a pipe).
func printStatus(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// At most one progress line a second.
final class ProgressThrottle: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)
    func due() -> Bool {
        last.withLock { last in
            let now = ContinuousClock.now
            if let previous = last, now - previous < .seconds(1) { return false }
            last = now
            return true
        }
    }
}

extension BackupCommand.Create {
    /// The site's WordPress version, from its RSS feed through the stack's published port on this
    /// Swarm node (best effort: nil when there is no such stack here or the site does not answer).
    static func wordpressVersion(stack: String) -> String? {
        let docker = DockerCLI()
        var port: Int?
        for service in ["haproxy", "wordpress"] {
            let out = try? docker.run(
                [
                    "service", "inspect", "\(stack)_\(service)", "--format",
                    "{{range .Spec.EndpointSpec.Ports}}{{.PublishedPort}} {{end}}",
                ], timeout: 20)
            if let out, out.succeeded, let first = out.stdout.split(separator: " ").first.flatMap({ Int($0) }) {
                port = first
                break
            }
        }
        guard let port else { return nil }
        let address = (try? docker.run(["info", "--format", "{{.Swarm.NodeAddr}}"], timeout: 20))?.stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let host = address.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        guard var page = HTTPProbe.get(host: host, port: port, path: "/?feed=rss2", timeoutSeconds: 10) else {
            return nil
        }
        // WordPress redirects a request for another host name to its own URL: follow that once.
        if let status = page.status, (300..<400).contains(status),
            let location = page.text.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("location:") }),
            let url = URL(string: location.dropFirst("location:".count).trimmingCharacters(in: .whitespaces)),
            let redirectHost = url.host
        {
            let query = url.query.map { "?\($0)" } ?? ""
            page =
                HTTPProbe.get(
                    host: redirectHost, port: url.port ?? 80, path: (url.path.isEmpty ? "/" : url.path) + query,
                    timeoutSeconds: 10) ?? page
        }
        return BackupSnapshot.wordpressVersion(inPage: page.text)
    }
}
