import ArgumentParser
import Backup
import Foundation
import HostIO
import Stack

extension StackCommand {
    /// `brickctl stack restore`: the stack's database back from a dump, on its node or a new one.
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract:
                "Bring the stack's database back from a dump (the newest on the volume, a file, or a restic snapshot).",
            discussion: """
                The dump's sha256 is checked before anything is touched. A database that still runs is \
                not restored over unless --force: then the database starts on a fresh volume and the \
                old one is kept aside, untouched, under its name (the command says which and where). \
                With --db-node the database label moves to that node: its brickctl plugin must make \
                the database's local volume there (a disk `brickctl prepare` made, under --local-root), \
                which is tried first. A fresh MariaDB starts there, a one-off task of the stack's backup \
                image loads the dump into it, the stack is deployed again and brickctl waits until \
                the site answers. --files also copies the snapshot's shared files (wp-content or \
                uploads) into the site's volume (files added since the snapshot are kept).
                """)

        @Option(help: "latest (the newest dump on the NAME_backups volume), a restic snapshot id, or a DUMPFILE path.")
        var from = "latest"

        @Option(help: "The stack's name.")
        var name = "wp"

        @Option(help: "Run the database on this node from now on (when its node is gone).")
        var dbNode: String?

        @Flag(help: "Restore even over a running database: a fresh volume; the old one is kept aside, never deleted.")
        var force = false

        @Flag(
            name: .customLong("files"),
            help: "Also restore the shared files (wp-content or uploads) from the snapshot given by --from.")
        var withFiles = false

        @Option(help: "The site's shared files' folder, already mounted here, instead of --volume (with --files).")
        var filesDir: String?

        @Option(help: "The Gluster volume of the brickctl volume plugin (the backups volume is mounted from it here).")
        var volume: String?

        @OptionGroup var mountServer: GlusterMountServerOption

        @Option(help: "The NAME_backups volume's folder, already mounted here, instead of --volume.")
        var backupsDir: String?

        @Option(help: "Where the stack file is kept (as for stack deploy).")
        var dir: String?

        @Option(help: "Seconds to wait for each step (the database, the load, the site).")
        var timeout = 300

        @Flag(help: "Show the plan, change nothing.")
        var dryRun = false

        @OptionGroup var repository: BackupRepositoryOptions

        @OptionGroup var output: JSONFlag

        struct Result: Encodable {
            var stack: String
            var dump: String
            var dumpTime: String
            var databaseNode: String
            /// The database's volume now.
            var databaseVolume: String
            /// Forced: where the old data stays ("VOLUME on NODE").
            var keptAside: String?
            /// With --files: the files copied into the site's volume.
            var filesRestored: Int?
            var publishedPosts: Int?
            var wordpressReplicas: Int
            var url: String?
            var seconds: Double
        }

        func validate() throws {
            if withFiles && (from == "latest" || from.contains("/") || from.hasSuffix(DumpFile.suffix)) {
                throw ValidationError(
                    "--files restores the shared files of a restic snapshot: give --from SNAPSHOT (brickctl backup list) or latest's id"
                )
            }
        }

        func run() async throws {
            let started = ContinuousClock.now
            let docker = DockerCLI()
            let files = StackFiles(stackFile: "\(dir ?? "/var/lib/brickctl/stacks/\(name)")/stack.yml")
            guard let text = try? String(contentsOfFile: files.stackFile, encoding: .utf8) else {
                throw CommandFailure(
                    "no stack file \(files.stackFile): restore redeploys the stack as deployed; give --dir (as for stack deploy)"
                )
            }
            var compose = try ComposeFile.parse(yaml: text)
            guard let backupService = compose.services["backup"],
                let scriptConfig = compose.configs?["backup_sh"]?.name
            else {
                throw CommandFailure(
                    "stack \(name) has no backup service (deployed with --no-backup): deploy it with one, or load a dump by hand"
                )
            }

            // The backups volume, where the restore task reads the dump.
            var mounts: [GlusterFolderMount] = []
            defer { for mount in mounts { mount.unmount() } }
            let backupsPath = try folder(
                backupsDir, dockerVolume: WordPressStack.backupsVolume, at: "backups", readOnly: dryRun,
                mounts: &mounts,
                else: "give --volume GLUSTER_VOLUME (the backups volume is mounted here) or --backups-dir DIR")
            let folder = DumpFolder(path: backupsPath)

            // The dump, verified before anything else happens.
            let (dump, inVolume, snapshotFiles) = try await chooseDump(folder: folder)
            printStatus("dump \(dump.name) (dumped \(dump.time)): sha256 verified")

            // The plan, from what the Swarm says now.
            let nodes = try docker.nodes()
            let plugins = try volumePluginNodes(docker: docker, nodes: nodes)
            let ready = Set(nodes.filter(\.isReady).map(\.hostname))
            let dbTasks = StackTask.parse(
                jsonLines: try docker.run(["service", "ps", "\(name)_db", "--no-trunc", "--format", "{{json .}}"])
                    .stdout)
            let running = dbTasks.filter { $0.isRunning && ready.contains($0.node) }.map(\.node)
            let wanted = compose.services["wordpress"]?.deploy.replicas ?? 1
            let databaseVolume = compose.volumes?["db-data"]?.name ?? "\(name)_db-data"
            let plan: RestorePlan
            do {
                plan = try RestorePlan.decide(
                    .init(
                        nodes: nodes, nodesWithVolumePlugin: plugins, databaseRunningOn: running, requestedNode: dbNode,
                        force: force, wordpressReplicas: wanted, databaseVolume: databaseVolume,
                        stamp: DumpFile.stamp(Date())))
            } catch {
                throw CommandFailure(error.commandLineMessage(stack: name))
            }
            for note in plan.notes { say(note.commandLineText) }
            if dryRun {
                print(
                    "would restore \(dump.name)\(snapshotFiles != nil ? " and the snapshot's files" : "") into a database on \(plan.databaseNode) (volume \(plan.databaseVolume)), then deploy \(name) with \(plan.wordpressReplicas) WordPress replica(s)"
                )
                return
            }

            // The database's volume on its node first: the node's plugin must be able to make it
            // (a prepared local disk). Refused here, nothing has changed yet.
            let dbVolumeSpec = compose.volumes?["db-data"]
            let dbImage = compose.services["db"]?.image ?? backupService.image
            try await checkDatabaseVolume(
                node: plan.databaseNode, volume: plan.databaseVolume, driver: dbVolumeSpec?.driver ?? "local",
                options: dbVolumeSpec?.driver_opts ?? [:], image: dbImage, docker: docker)
            say("database volume: \(plan.databaseVolume) can be made on \(plan.databaseNode)")

            // Labels, then the stack again (the database starts on its node, fresh when new there).
            // One update per node (all its label changes together); "update out of sequence" (the
            // node object changed between docker's read and write) is tried again.
            let touched = Set((plan.labelsToRemove + plan.labelsToAdd).map(\.node)).sorted()
            for node in touched {
                let removed = plan.labelsToRemove.filter { $0.node == node }.map(\.label)
                let added = plan.labelsToAdd.filter { $0.node == node }.map(\.label)
                let change =
                    removed.flatMap { ["--label-rm", $0] } + added.flatMap { ["--label-add", "\($0)=true"] }
                try await StackWait.poll("the labels of \(node) to change", seconds: 30) { () -> Bool? in
                    let out = try docker.run(["node", "update"] + change + [node])
                    if out.succeeded { return true }
                    if out.message.contains("out of sequence") { return nil }
                    throw CommandFailure("docker node update \(node) failed: \(out.message)")
                }
                for label in removed { say("\(node): removed the label \(label)") }
                for label in added { say("\(node): added the label \(label)=true") }
            }
            compose.services["wordpress"]?.deploy.replicas = plan.wordpressReplicas
            if plan.databaseVolume != databaseVolume {
                compose.volumes?["db-data"]?.name = plan.databaseVolume
                // Kept for the next `stack deploy` too (it writes the stack file anew).
                try AtomicFile.write(Data((plan.databaseVolume + "\n").utf8), to: files.databaseVolumeFile)
            }
            try AtomicFile.write(Data(try compose.yaml().utf8), to: files.stackFile)
            let resolve = (compose.services["db"]?.image ?? "").hasPrefix("brickctl/") ? "never" : "always"
            try docker.check(
                ["stack", "deploy", "--prune", "--resolve-image", resolve, "-c", files.stackFile, name], timeout: 180)
            // A new task (forced: the one on the fresh volume, once the old one has stopped).
            let before = Set(dbTasks.filter { $0.isRunning && ready.contains($0.node) }.map(\.id))
            try await StackWait.poll("\(name)_db running on \(plan.databaseNode)", seconds: timeout) {
                let tasks = StackTask.parse(
                    jsonLines: try docker.run(["service", "ps", "\(name)_db", "--no-trunc", "--format", "{{json .}}"])
                        .stdout)
                let fresh = tasks.contains { $0.isRunning && $0.node == plan.databaseNode && !before.contains($0.id) }
                let old = tasks.contains { before.contains($0.id) && $0.currentState.hasPrefix("Running") }
                return fresh && !old ? true : nil
            }
            say("database: \(name)_db runs on \(plan.databaseNode)")

            // The one-off loader: the backup image and script, the root password secret.
            // The volume as the stack declares it: the plugin refuses the same name with other options.
            let backupsVolume = compose.volumes?[WordPressStack.backupsVolume]
            let posts = try await load(
                dump: inVolume, backupsPath: backupsPath, image: backupService.image, scriptConfig: scriptConfig,
                volumeDriver: backupsVolume?.driver ?? "brickctl", volumeOptions: backupsVolume?.driver_opts ?? [:],
                user: backupService.user, docker: docker)

            // The shared files, when asked: copied over the site's volume.
            var filesRestored: Int?
            if let snapshotFiles {
                filesRestored = try restoreFiles(from: snapshotFiles, compose: compose)
                say("files: \(filesRestored ?? 0) file(s) of the snapshot copied into the site's volume")
            }

            // The whole stack running, then the site answering through its way in.
            let replicas = compose.services.mapValues(\.deploy.replicas)
            var shown = ""
            try await StackWait.poll("every task of stack \(name) to run", seconds: timeout) { () -> Bool? in
                let out = try docker.run(["stack", "ps", name, "--no-trunc", "--format", "{{json .}}"])
                guard out.succeeded else { return nil }
                let progress = DeployProgress(
                    stack: name, tasks: StackTask.parse(jsonLines: out.stdout), replicas: replicas)
                if progress.summary != shown {
                    shown = progress.summary
                    say("running: \(progress.summary)")
                }
                return progress.done ? true : nil
            }
            var url: String?
            if let manager = nodes.first(where: { $0.role == "manager" && $0.isReady }) {
                let port =
                    compose.services["haproxy"]?.ports?.first?.published
                    ?? compose.services["wordpress"]?.ports?.first?.published ?? 80
                let host = manager.address.isEmpty ? manager.hostname : manager.address
                try await StackWait.poll("the site to answer at http://\(host):\(port)/", seconds: timeout) {
                    // An answer of WordPress's own: its page, or a redirect to its canonical URL
                    // (5xx: no database yet; nothing: the proxy or WordPress not there).
                    (200..<400).contains(HTTPProbe.status(host: host, port: port, path: "/") ?? 0) ? true : nil
                }
                url = "http://\(host)\(port == 80 ? "" : ":\(port)")/"
            }
            let elapsed = ContinuousClock.now - started
            let keptAside = plan.notes.compactMap { note -> String? in
                guard case .oldDataKeptAside(let volume, let nodes) = note else { return nil }
                return "\(volume) on \(nodes.isEmpty ? "the old database node" : nodes.joined(separator: ", "))"
            }.first
            let result = Result(
                stack: name, dump: dump.name, dumpTime: dump.time, databaseNode: plan.databaseNode,
                databaseVolume: plan.databaseVolume, keptAside: keptAside, filesRestored: filesRestored,
                publishedPosts: posts, wordpressReplicas: plan.wordpressReplicas, url: url,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            if output.json {
                print(try JSONOutput.encode(result))
            } else {
                print(
                    "restored \(dump.name) (dumped \(dump.time), writes after it are lost) into \(name)_db on \(plan.databaseNode): \(posts.map { "\($0)" } ?? "?") published posts; "
                        + (filesRestored.map { "\($0) file(s) restored; " } ?? "")
                        + (keptAside.map {
                            "the old database data is kept aside in volume \($0) (never deleted by brickctl; docker volume rm it there when no longer needed); "
                        } ?? "")
                        + "\(plan.wordpressReplicas) WordPress replica(s); \(url.map { "the site answers at \($0)" } ?? "no manager address to ask the site"); took \(String(format: "%.0f", result.seconds)) s"
                )
            }
        }

        /// A step's line: on stdout for people, on stderr with --json (stdout holds only the JSON).
        func say(_ line: String) {
            if output.json { printStatus(line) } else { print(line) }
        }

        /// Refuses a dump of an empty database (taken before the site was installed): loading it
        /// would leave an empty site.
        func requireTables(in file: String, _ dump: DumpFile) throws(BackupError) {
            guard try DumpFolder.createsTables(file: file, timeout: Double(timeout)) else {
                throw .dumpWithoutTables(dump: dump.name)
            }
        }

        /// The dump to load, verified (its sha256, and that it creates tables), its path inside the
        /// backup image (/backups/...), and with --files the snapshot's restored files.
        func chooseDump(folder: DumpFolder) async throws -> (DumpFile, String, String?) {
            if from == "latest" {
                let dump = try withBackupErrors { () throws -> DumpFile in
                    let dump = try folder.newest()
                    try folder.verify(dump)
                    try requireTables(in: folder.path(of: dump), dump)
                    return dump
                }
                return (dump, "\(WordPressStack.backupsTarget)/\(dump.name)", nil)
            }
            let source: String
            let checksum: String
            var snapshotFiles: String?
            if from.contains("/") || from.hasSuffix(DumpFile.suffix) {
                source = repository.absolute(from)
                checksum = source + DumpFile.checksumSuffix
            } else {
                // A restic snapshot: restored into the state folder first.
                let restic = try repository.restic()
                let target = "\(repository.stateDir)/\(name)/restore"
                try? FileManager.default.removeItem(atPath: target)
                let stack = name
                let snapshot = from
                let restored = try await BlockingPool.shared.run("restic restore", seconds: Double(timeout) * 4) {
                    try withBackupErrors {
                        try SnapshotRestore(restic: restic, stack: stack).run(
                            snapshot: snapshot, target: target, timeout: Double(timeout) * 4)
                    }
                }
                source = restored.dump
                checksum = source + DumpFile.checksumSuffix
                if withFiles {
                    guard let restoredFiles = restored.files else {
                        throw CommandFailure(
                            "snapshot \(from) holds no shared files (made with --no-files): restore without --files")
                    }
                    snapshotFiles = restoredFiles
                }
            }
            guard let dump = DumpFile(name: URL(fileURLWithPath: source).lastPathComponent) else {
                throw CommandFailure(
                    "\(from): not a dump of the backup service (DATABASE-YYYYMMDDTHHMMSSZ.sql.zst with its .sha256 beside it)"
                )
            }
            try withBackupErrors {
                _ = try DumpFolder.verify(file: source, checksumFile: checksum)
                try requireTables(in: source, dump)
            }
            if dryRun { return (dump, source, snapshotFiles) }  // the volume is mounted read-only
            // Into the volume's restore folder, where the loader task finds it; verified again there.
            let restoreFolder = "\(folder.path)/restore"
            try FileManager.default.createDirectory(atPath: restoreFolder, withIntermediateDirectories: true)
            // Owned like the volume's folder (the backup service's user, which the loader runs as):
            // a copy restic restored is root's, and the loader could not read it.
            let owner = (try? FileManager.default.attributesOfItem(atPath: folder.path)) ?? [:]
            var ownership: [FileAttributeKey: Any] = [:]
            if let uid = owner[.ownerAccountID] { ownership[.ownerAccountID] = uid }
            if let gid = owner[.groupOwnerAccountID] { ownership[.groupOwnerAccountID] = gid }
            try FileManager.default.setAttributes(
                ownership.merging([.posixPermissions: 0o750], uniquingKeysWith: { $1 }), ofItemAtPath: restoreFolder)
            for (from, to) in [(source, dump.name), (checksum, dump.checksumName)] {
                try? FileManager.default.removeItem(atPath: "\(restoreFolder)/\(to)")
                try FileManager.default.copyItem(atPath: from, toPath: "\(restoreFolder)/\(to)")
                try FileManager.default.setAttributes(
                    ownership.merging([.posixPermissions: 0o640], uniquingKeysWith: { $1 }),
                    ofItemAtPath: "\(restoreFolder)/\(to)")
            }
            try withBackupErrors {
                _ = try DumpFolder.verify(
                    file: "\(restoreFolder)/\(dump.name)", checksumFile: "\(restoreFolder)/\(dump.checksumName)")
            }
            return (dump, "\(WordPressStack.backupsTarget)/restore/\(dump.name)", snapshotFiles)
        }

        /// Tries the database's volume on `node` with a one-off task of the database image that
        /// only mounts it: the node's volume plugin makes it there, or refuses (no prepared disk).
        func checkDatabaseVolume(
            node: String, volume: String, driver: String, options: [String: String], image: String, docker: DockerCLI
        ) async throws {
            let service = "\(name)_dbcheck"
            _ = try? docker.run(["service", "rm", service])
            try await StackWait.poll("an earlier \(service) to go", seconds: 60) {
                try docker.run(["service", "inspect", service]).succeeded ? nil : true
            }
            let mount =
                ["type=volume", "source=\(volume)", "target=/brickctl-check", "volume-driver=\(driver)"]
                + options.sorted(by: { $0.key < $1.key }).map { "volume-opt=\($0.key)=\($0.value)" }
            try docker.check([
                "service", "create", "--detach", "--name", service, "--restart-condition", "none", "--no-healthcheck",
                "--constraint", "node.hostname==\(node)", "--mount", mount.joined(separator: ","),
                "--entrypoint", "test", image, "-d", "/brickctl-check",
            ])
            defer { _ = try? docker.run(["service", "rm", service]) }
            let state = try await StackWait.poll("\(service) to try volume \(volume) on \(node)", seconds: timeout) {
                () -> (String, String)? in
                let tasks = StackTask.parse(
                    jsonLines: try docker.run(["service", "ps", service, "--no-trunc", "--format", "{{json .}}"]).stdout
                )
                guard let task = tasks.first else { return nil }
                for end in ["Complete", "Failed", "Rejected", "Shutdown"] where task.currentState.hasPrefix(end) {
                    return (end, task.error)
                }
                return nil
            }
            guard state.0 == "Complete" else {
                let refusal = RestorePlan.Refusal.noPreparedDisk(
                    node, detail: state.1.isEmpty ? "the check task ended \(state.0)" : state.1)
                throw CommandFailure(refusal.commandLineMessage(stack: name))
            }
        }

        /// `dir` when given (a folder already mounted here), else the stack's Docker volume
        /// `dockerVolume` mounted from --volume at /run/brickctl/restore/NAME/`leaf` (added to
        /// `mounts`: the caller unmounts it).
        /// - Throws: `ValidationError(missing)` when neither is given.
        func folder(
            _ dir: String?, dockerVolume: String, at leaf: String, readOnly: Bool,
            mounts: inout [GlusterFolderMount], else missing: String
        ) throws -> String {
            if let dir { return repository.absolute(dir) }
            guard let volume else { throw ValidationError(missing) }
            let mount = try withBackupErrors {
                try GlusterFolderMount.mount(
                    server: mountServer.server, volume: volume,
                    folder: GlusterFolderMount.pluginVolume("\(name)_\(dockerVolume)"),
                    at: "/run/brickctl/restore/\(name)/\(leaf)", readOnly: readOnly)
            }
            mounts.append(mount)
            return mount.mountPoint
        }

        /// Copies the snapshot's shared files over the site's volume (`cp -a`: owners, modes and
        /// times kept; files the volume has and the snapshot has not stay). The number of files.
        func restoreFiles(from source: String, compose: ComposeFile) throws -> Int {
            let shareKey =
                [SharedContent.wpContent.volume, SharedContent.uploads.volume].first { compose.volumes?[$0] != nil }
                ?? SharedContent.wpContent.volume
            var mounts: [GlusterFolderMount] = []
            defer { for mount in mounts { mount.unmount() } }
            let target = try folder(
                filesDir, dockerVolume: shareKey, at: "files", readOnly: false, mounts: &mounts,
                else: "--files needs --volume GLUSTER_VOLUME (the site's volume is mounted here) or --files-dir DIR")
            let listed = try Command("find", [source, "-type", "f"]).run(timeout: Double(timeout))
            let count = listed.stdout.split(separator: "\n").count
            let copy = try Command("cp", ["-a", "\(source)/.", "\(target)/"]).run(timeout: Double(timeout) * 4)
            guard copy.succeeded else {
                throw CommandFailure("copying the snapshot's files into \(name)_\(shareKey) failed: \(copy.message)")
            }
            return count
        }

        /// Runs the loader task to its end; the published posts it counted. What the loader said
        /// is read from its report beside the dumps (`backupsPath`, this host's mount of the
        /// backups volume), the task's log only when no report came.
        func load(
            dump: String, backupsPath: String, image: String, scriptConfig: String, volumeDriver: String,
            volumeOptions: [String: String], user: String?, docker: DockerCLI
        ) async throws -> Int? {
            let service = "\(name)_restore"
            let reportID = DumpFile.stamp(Date()) + "-\(getpid())"
            let reportPath = "\(backupsPath)/\(RestoreReport.fileName(id: reportID))"
            _ = try? docker.run(["service", "rm", service])  // a loader left by an interrupted run
            try await StackWait.poll("an earlier \(service) to go", seconds: 60) {
                try docker.run(["service", "inspect", service]).succeeded ? nil : true
            }
            var arguments = [
                "service", "create", "--detach", "--name", service, "--restart-condition", "none",
                "--no-healthcheck", "--network", "\(name)_backend",
                "--secret", "source=\(name)_db_root_password,target=db_root_password,mode=0444",
                "--config", "source=\(scriptConfig),target=\(BackupScript.path),mode=0555",
                "--mount",
                ([
                    "type=volume", "source=\(name)_\(WordPressStack.backupsVolume)",
                    "target=\(WordPressStack.backupsTarget)",
                    "volume-driver=\(volumeDriver)",
                ]
                    + volumeOptions.sorted(by: { $0.key < $1.key }).map { "volume-opt=\($0.key)=\($0.value)" })
                    .joined(separator: ","),
                "--constraint", "node.labels.\(WordPressStack.wordpressLabel)==true",
                "--constraint", "node.labels.\(WordPressStack.databaseLabel)!=true",
                "-e", "DB_HOST=db", "-e", "DB_NAME=\(WordPressStack.databaseName)", "-e", "DB_USER=root",
                "-e", "DB_PASSWORD_FILE=/run/secrets/db_root_password",
                "-e", "BACKUP_DIR=\(WordPressStack.backupsTarget)", "-e", "RESTORE_WAIT=\(timeout)",
                "-e", "RESTORE_ID=\(reportID)",
            ]
            if let user { arguments += ["--user", user] }
            arguments += ["--entrypoint", "/bin/sh", image, BackupScript.path, "restore", dump]
            try docker.check(arguments)
            defer { _ = try? docker.run(["service", "rm", service]) }
            let state = try await StackWait.poll("\(service) to load the dump", seconds: timeout * 2) {
                () -> String? in
                let tasks = StackTask.parse(
                    jsonLines: try docker.run(["service", "ps", service, "--no-trunc", "--format", "{{json .}}"]).stdout
                )
                guard let task = tasks.first else { return nil }
                for end in ["Complete", "Failed", "Rejected", "Shutdown"] where task.currentState.hasPrefix(end) {
                    return end + (task.error.isEmpty ? "" : ": \(task.error)")
                }
                return nil
            }
            defer { try? FileManager.default.removeItem(atPath: reportPath) }
            let report = try await loaderReport(service: service, state: state, at: reportPath, docker: docker)
            for line in report.lines { say("loader: \(line)") }
            guard state == "Complete", report.restored != nil else {
                if report.refusedOverExistingTables {
                    throw CommandFailure(
                        "the dump was not loaded: \(name)'s database volume already holds a database (\(report.lines.last ?? "")); pass --force to start the database on a fresh volume (the old one is kept aside)"
                    )
                }
                throw CommandFailure(
                    "the dump was not loaded (\(service): \(state)): \(report.lines.last ?? "the loader left no report at \(reportPath) and no log; docker service logs \(service)")"
                )
            }
            return report.publishedPosts
        }

        /// What the ended loader said: its report file (renamed into place when the loader exits;
        /// it can take a moment to show through this host's mount), else its `backup: ` log lines.
        func loaderReport(service: String, state: String, at path: String, docker: DockerCLI) async throws
            -> RestoreReport
        {
            let read = { @Sendable () -> RestoreReport? in
                (try? String(contentsOfFile: path, encoding: .utf8)).map(RestoreReport.init(text:))
            }
            if let report = read() { return report }
            if let report = try? await StackWait.poll("\(service)'s report \(path)", seconds: 30, read) {
                return report
            }
            // No report (a loader that could not write beside the dumps): its log, which can reach
            // `docker service logs` late.
            say("the loader left no report at \(path) (it could not write beside the dumps?): reading its log")
            let fromLog = { @Sendable () throws -> RestoreReport in
                let logs = try docker.run(["service", "logs", "--raw", service], timeout: 30)
                return RestoreReport(
                    lines: (logs.stdout + logs.stderr).split(separator: "\n").filter { $0.hasPrefix("backup: ") }
                        .map { String($0.dropFirst("backup: ".count)) })
            }
            let said = try fromLog()
            guard state == "Complete", said.restored == nil else { return said }
            return
                (try? await StackWait.poll("\(service)'s log", seconds: 30) { () -> RestoreReport? in
                    let report = try fromLog()
                    return report.restored != nil ? report : nil
                }) ?? said
        }

        /// The nodes that report the brickctl volume driver.
        func volumePluginNodes(docker: DockerCLI, nodes: [SwarmNode]) throws -> Set<String> {
            guard !nodes.isEmpty else { return [] }
            let out = try docker.check(
                [
                    "node", "inspect", "--format",
                    "{{.Description.Hostname}} {{range .Description.Engine.Plugins}}{{.Type}}/{{.Name}} {{end}}",
                ] + nodes.map(\.id))
            var found: Set<String> = []
            for line in out.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if let host = fields.first, fields.dropFirst().contains("Volume/brickctl") {
                    found.insert(String(host))
                }
            }
            return found
        }
    }
}

extension RestorePlan.Refusal {
    func commandLineMessage(stack: String) -> String {
        switch self {
        case .databaseRunning(let node):
            return
                "\(stack)'s database runs on \(node): restoring over it would lose what it holds since the dump; pass --force to restore into a fresh volume (the old one is kept aside, untouched)"
        case .noDatabaseNode:
            return "no node has the database label: give --db-node NODE"
        case .unknownNode(let node):
            return "--db-node \(node): no such node in the Swarm (docker node ls)"
        case .nodeNotReady(let node, let state):
            return
                "\(node) is \(state): the database needs a ready node; give another one with --db-node NODE (one with a brickctl-prepared local disk)"
        case .noVolumePlugin(let node):
            return
                "\(node) does not report the brickctl volume driver: prepare a local disk there and run the plugin with --local-root (brickctl prepare DEVICE; brickctl plugin serve --local-root /data/glusterfs/brick1/local ...), then run this again"
        case .noPreparedDisk(let node, let detail):
            return
                "\(node) cannot hold the database: its brickctl plugin did not make the database's local volume (\(detail)). Prepare a disk there (brickctl prepare DEVICE --label db1) and run the plugin with --local-root /data/glusterfs/db1/local, or give another --db-node; nothing was changed"
        case .noWordPressNode:
            return
                "no WordPress node would be left beside the database node: label another node (brickctl swarm label NODE --wordpress) or pick another --db-node"
        }
    }
}

extension RestorePlan.Note {
    var commandLineText: String {
        switch self {
        case .databaseMoves(let from, let to):
            return "plan: the database moves to \(to)\(from.isEmpty ? "" : " (from \(from.joined(separator: ", ")))")"
        case .wordpressLeaves(let node):
            return "plan: \(node) stops running WordPress (WordPress never runs on the database node)"
        case .fewerReplicas(let wanted, let remaining):
            return
                "plan: \(remaining) WordPress replica(s) instead of \(wanted): only \(remaining) WordPress node(s) left"
        case .replacesRunningDatabase(let node):
            return "plan: the running database on \(node) stops (--force)"
        case .oldDataKeptAside(let volume, let nodes):
            return
                "plan: the database starts on a fresh volume; the old data stays in volume \(volume)\(nodes.isEmpty ? "" : " on \(nodes.joined(separator: ", "))") (never deleted by brickctl)"
        }
    }
}
