import ArgumentParser
import Foundation
import Gluster
import GlusterTLS

/// `brickctl tls ...`: a small CA for the pool and Gluster's TLS (management and I/O).
struct TLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "A certificate authority for the pool, and TLS for Gluster's management and I/O traffic.",
        discussion: """
            On one node: `tls init`, then `tls issue HOST` for every node and client. On each host: \
            `tls install BUNDLE` (/etc/ssl/glusterfs.pem, .key, .ca, linked where glusterd's \
            management TLS reads them). Then `tls enable VOLUME` (I/O; --now on a running volume) \
            and, for glusterd's port 24007, `tls management on` on every host. \
            Private keys are never printed; a bundle (mode 0600) is the only file that carries one \
            off the CA's host: delete copies once installed.
            """,
        subcommands: [Init.self, Issue.self, Install.self, Enable.self, Disable.self, Management.self, Status.self]
    )

    static let defaultDirectory = "/etc/brickctl/tls"

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Make the pool's CA (a P-256 key, mode 0600, and a self-signed certificate)."
        )
        @Option(help: "Where the CA lives.") var dir = TLSCommand.defaultDirectory
        @Option(help: "The CA's common name.") var name = "brickctl pool CA"

        func run() async throws {
            let store = CAStore(directory: dir)
            if store.exists {
                let ca = try tls { () throws(TLSError) in try store.load() }
                print(
                    "a CA already exists in \(dir) (\(ca.certificate.subject), expires \(TLSStatusRow.day(ca.certificate.notValidAfter))): nothing to do"
                )
                return
            }
            let ca = try PoolCA.make(name: name)
            try tls { () throws(TLSError) in try store.create(ca) }
            print(
                "CA \(ca.certificate.subject) in \(dir): ca.pem, ca.key (0600); expires \(TLSStatusRow.day(ca.certificate.notValidAfter))"
            )
            print("next: brickctl tls issue HOST   (for every node and client)")
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Make a key and certificate for a node or client (CN = SAN DNS = HOST), as a 0600 bundle.")
        @Argument(help: "The host's name, as the pool knows it (it is also what auth.ssl-allow lists).") var host:
            String
        @Option(help: "Where the CA lives.") var dir = TLSCommand.defaultDirectory
        @Option(help: "The bundle file to write (default: DIR/bundles/HOST.pem).") var out: String?

        func run() async throws {
            let store = CAStore(directory: dir)
            let ca = try tls { () throws(TLSError) in try store.load() }
            let bundle: TLSBundle
            do {
                bundle = try ca.issue(host: host)
            } catch let error as TLSError {
                throw CommandFailure(error.commandLineText)
            }
            let path = out ?? "\(dir)/bundles/\(host).pem"
            try? FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try tls { () throws(TLSError) in try CAStore.writeBundle(bundle, to: path) }
            try tls { () throws(TLSError) in try store.record(bundle) }
            print(
                "issued \(bundle.certificate.subject) by \(bundle.certificate.issuer), expires \(TLSStatusRow.day(bundle.certificate.notValidAfter))"
            )
            print("bundle (key, certificate, CA; mode 0600): \(path)")
            print(
                "next: copy it to \(host), run `brickctl tls install \((path as NSString).lastPathComponent)` there, then delete the copy"
            )
        }
    }

    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract:
                "Check a bundle and put /etc/ssl/glusterfs.pem, .key (0600) and .ca in place; nothing is written if a check fails."
        )
        @Argument(help: "The bundle file `brickctl tls issue` wrote.") var bundle: String
        @Option(help: "The name the certificate must be for (default: this host's name).") var forHost: String?
        @Option(help: "Where Gluster reads its TLS files.") var sslDir = "/etc/ssl"

        func run() async throws {
            guard let text = try? String(contentsOfFile: bundle, encoding: .utf8) else {
                throw CommandFailure("cannot read \(bundle): give the path of the bundle `brickctl tls issue` wrote")
            }
            let host = forHost ?? LocalGlusterd.hostname
            let parsed = try tls { () throws(TLSError) in try TLSBundle(parsing: text, for: host) }
            let files = GlusterSSLFiles(directory: sslDir, managementDirectory: GlusterSSLFiles.compiledInDirectory())
            try tls { () throws(TLSError) in try files.install(parsed) }
            print(
                "installed \(parsed.certificate.subject) (expires \(TLSStatusRow.day(parsed.certificate.notValidAfter))): \(files.certificatePath), \(files.keyPath) (0600), \(files.caPath)"
            )
            if let directory = files.managementDirectory, !files.managementLinks.isEmpty {
                print(
                    "linked for management TLS (glusterfs reads \(directory) there): \(files.managementLinks.map(\.link).joined(separator: ", "))"
                )
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enable",
            abstract:
                "Turn on I/O TLS for a volume (client.ssl, server.ssl, auth.ssl-allow = the issued names); --management also for glusterd.",
            discussion: """
                Every node and every client needs its bundle installed first. The bricks switch to TLS \
                when the volume is (re)started, clients when they (re)mount. --management does \
                `tls management on` on THIS host; see `brickctl tls management --help`.
                """)
        @Argument(help: "The volume.") var name: String
        @Option(help: "The names that may connect (default: every name the CA in --dir issued), comma-separated.")
        var names: String?
        @Option(help: "Where the CA lives.") var dir = TLSCommand.defaultDirectory
        @Option(help: "Where Gluster reads its TLS files.") var sslDir = "/etc/ssl"
        @Flag(help: "Also management TLS on this host (as `tls management on`).") var management = false
        @Flag(
            help:
                "If started: restart the bricks now and move mounted clients to TLS without unmounting (their I/O fails for a few seconds)."
        ) var now = false

        func run() async throws {
            guard GlusterSSLFiles(directory: sslDir).isInstalled else {
                throw CommandFailure(
                    "this host has no \(sslDir)/glusterfs.{pem,key,ca}: `brickctl tls install BUNDLE` on every node and client first"
                )
            }
            let allowed =
                names.map(commaList) ?? CAStore(directory: dir).issuedNames()
            guard !allowed.isEmpty else {
                throw CommandFailure(
                    "no names to allow: issue certificates first (`brickctl tls issue HOST`), or pass --names")
            }
            let cli = GlusterCLI()
            // The paths are set explicitly: Debian's glusterfs looks in OpenSSL's directory
            // (/usr/lib/ssl/glusterfs.pem) by default, not /etc/ssl.
            let files = GlusterSSLFiles(directory: sslDir)
            try await TLSCommand.apply(
                .enable(certificate: files.certificatePath, key: files.keyPath, ca: files.caPath, allowed: allowed),
                to: name, cli: cli)
            print(
                "\(name): client.ssl on, server.ssl on, auth.ssl-allow = \(allowed.joined(separator: ",")), certificates in \(sslDir)"
            )
            if management {
                try Management.switchHere(on: true, sslDir: sslDir, restart: true)
                print("management TLS: on here; run `brickctl tls management on` on every other node and client too")
            }
            try await VolumeTLSSwitch(cli: cli).finish(name, now: now)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Turn I/O TLS off for a volume (client.ssl, server.ssl off; auth.ssl-allow reset).")
        @Argument(help: "The volume.") var name: String
        @Flag(
            help:
                "If started: restart the bricks now and move mounted clients off TLS without unmounting (their I/O fails for a few seconds)."
        ) var now = false

        func run() async throws {
            let cli = GlusterCLI()
            try await TLSCommand.apply(.disable, to: name, cli: cli)
            print("\(name): client.ssl off, server.ssl off")
            try await VolumeTLSSwitch(cli: cli).finish(name, now: now)
        }
    }

    struct Management: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "management",
            abstract: "Turn management TLS (glusterd's port 24007) on or off on THIS host and restart its glusterd.",
            discussion: """
                Creates or removes /var/lib/glusterd/secure-access and restarts glusterd (systemctl, or \
                the pid in /run/glusterd.pid); bricks and mounts keep running. Run it on every node \
                and every client (Docker hosts of the plugin too): until all have switched, hosts \
                with and without it cannot talk to each other's glusterd (peers show Disconnected, \
                `gluster volume` commands that need all peers fail). Processes started before the \
                switch (bricks, FUSE mounts, the plugin's gfapi) keep serving I/O but talk to \
                glusterd the old way: restart the volume (`brickctl volume stop`/`start`) and \
                remount clients afterwards. Best done before volumes exist (`scripts/lab up --tls`).
                """)
        @Argument(help: "on or off.") var state: String
        @Option(help: "Where Gluster reads its TLS files.") var sslDir = "/etc/ssl"
        @Flag(help: "Do not restart glusterd (it switches at its next start).") var noRestart = false

        func validate() throws {
            guard state == "on" || state == "off" else {
                throw ValidationError("say `on` or `off`, not \(state)")
            }
        }

        func run() async throws {
            try Self.switchHere(on: state == "on", sslDir: sslDir, restart: !noRestart)
        }

        /// secure-access on/off here, then glusterd restarted; prints what happened.
        static func switchHere(on: Bool, sslDir: String, restart: Bool) throws {
            let files = GlusterSSLFiles(directory: sslDir, managementDirectory: GlusterSSLFiles.compiledInDirectory())
            let management = ManagementTLS()
            if on {
                guard files.isInstalled else {
                    throw CommandFailure(
                        "this host has no \(sslDir)/glusterfs.{pem,key,ca}: `brickctl tls install BUNDLE` first (glusterd would refuse every peer)"
                    )
                }
                try tls { () throws(TLSError) in try files.linkForManagement() }
            }
            let changed = try tls { () throws(TLSError) in try management.set(on) }
            print(
                "management TLS: \(on ? "on" : "off") (\(management.secureAccessPath) \(on ? "present" : "absent")\(changed ? "" : ", already"))"
            )
            guard restart else {
                print("glusterd not restarted: it switches at its next start")
                return
            }
            if let seconds = try tls({ () throws(TLSError) in try management.restartGlusterd() }) {
                print(String(format: "glusterd restarted; answering again after %.1f s", seconds))
            } else {
                print("no glusterd runs here (a client): mounts and gfapi made from now on use the new setting")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "This host's Gluster certificates and the CA (subject, issuer, expiry). Never a key.")
        @Option(help: "Where the CA lives (shown when present).") var dir = TLSCommand.defaultDirectory
        @Option(help: "Where Gluster reads its TLS files.") var sslDir = "/etc/ssl"
        @OptionGroup var output: JSONFlag

        func run() async throws {
            var rows = try tls { () throws(TLSError) in try GlusterSSLFiles(directory: sslDir).status() }
            let ca = "\(dir)/ca.pem"
            if let text = try? String(contentsOfFile: ca, encoding: .utf8) {
                rows += try tls { () throws(TLSError) in try TLSStatusRow.rows(file: ca, pem: text) }
            }
            let management = FileManager.default.fileExists(atPath: "/var/lib/glusterd/secure-access")
            if output.json {
                print(try JSONOutput.encode(TLSStatusReport(certificates: rows, managementTLS: management)))
                return
            }
            var table = TextTable(["FILE", "SUBJECT", "ISSUER", "EXPIRES", "DAYS LEFT"])
            for row in rows {
                table.add([
                    row.file, row.subject, row.issuer, row.expires, row.expired ? "EXPIRED" : String(row.daysLeft),
                ])
            }
            if rows.isEmpty {
                print("no certificates in \(sslDir) or \(dir): see `brickctl tls --help`")
            } else {
                print(table.render(), terminator: "")
            }
            print("management TLS (/var/lib/glusterd/secure-access): \(management ? "on" : "off")")
        }
    }
}

/// `brickctl tls status --json`.
struct TLSStatusReport: Encodable {
    var certificates: [TLSStatusRow]
    var managementTLS: Bool
}

/// Runs a TLS step; its error becomes the command's message.
func tls<T>(_ body: () throws(TLSError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure(error.commandLineText)
    }
}
