import ArgumentParser
import Foundation
import Gluster
import GlusterTLS
import Health
import HostIO

/// `brickctl exporter [serve]|install|uninstall`: this host's view of the site as Prometheus metrics.
struct ExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exporter",
        abstract:
            "Serve Prometheus metrics (GET /metrics) of the pool, volumes, bricks, plugin, Swarm, backups and certificates.",
        discussion: """
            `brickctl exporter [--listen :9713]` serves (the default subcommand); `brickctl exporter \
            install` writes and enables the systemd unit brickctl-exporter.service. Alert rules and a \
            sample prometheus.yml are in scripts/prometheus.
            """,
        subcommands: [Serve.self, Install.self, Uninstall.self], defaultSubcommand: Serve.self)
}

extension ExporterCommand {
    /// `brickctl exporter serve`: the exporter itself.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract:
                "Serve Prometheus metrics (GET /metrics) of the pool, volumes, bricks, plugin, Swarm, backups and certificates.",
            discussion: """
                One per Gluster server and Docker host (`brickctl exporter install`); alert rules and a \
                sample prometheus.yml are in scripts/prometheus. What it reads is \
                cached for --interval seconds and never read twice at the same time (one gluster \
                process per scrape plus one per replicated volume); a scrape waits at most --deadline \
                seconds, then answers with the previous figures and brickctl_scrape_error 1 (e.g. while \
                glusterd hangs).
                """)

        @Option(help: "Where to listen: ADDR:PORT, :PORT (every IPv4 address) or [IPv6]:PORT.")
        var listen = ":\(ListenAddress.defaultPort)"
        @Option(help: "Seconds a reading serves scrapes (Prometheus's scrape interval).") var interval: Double = 15
        @Option(help: "Seconds a scrape waits for a reading before answering with brickctl_scrape_error 1.")
        var deadline: Double = 10
        @OptionGroup var sources: SiteReadOptions
        @Flag(
            help:
                "Serve HTTPS with this host's certificate from the pool CA (`brickctl tls issue HOST` + `tls install`); Prometheus scrapes with the CA file (tls_config: ca_file)."
        )
        var tls = false
        @Option(help: "With --tls: the certificate (PEM).") var tlsCert = GlusterSSLFiles().certificatePath
        @Option(help: "With --tls: its private key (PEM).") var tlsKey = GlusterSSLFiles().keyPath

        func validate() throws {
            guard ListenAddress(parsing: listen) != nil else {
                throw ValidationError("--listen \(listen): give ADDR:PORT, :PORT or [IPv6]:PORT with a port 1-65535")
            }
            guard interval > 0, deadline > 0 else {
                throw ValidationError("--interval and --deadline must be > 0 seconds")
            }
        }

        func run() async throws {
            let address = ListenAddress(parsing: listen)!
            var reader = sources.reader
            // gluster's own timeout (per call) follows the scrape deadline: a hung glusterd ends the
            // gathering soon after the scrape gave up on it.
            reader.cli = GlusterCLI(timeout: max(5, Int(deadline.rounded(.up))), busyRetry: 2)
            reader.dockerTimeout = max(5, deadline)
            let pool = BlockingPool(threads: 2)
            let frozen = reader
            let cache = ScrapeCache(
                host: LocalGlusterd.hostname, maxAge: .milliseconds(Int(interval * 1000)),
                deadline: .milliseconds(Int(deadline * 1000))
            ) {
                // The pool's bound is a last resort: every gluster and docker call has its own timeout.
                await frozen.read(on: pool).map { site, cost in
                    ScrapeCache.Gathered(site: site, glusterCalls: cost.glusterCalls)
                }
            }
            do {
                let files = tls ? ExporterServer.TLSFiles(certificate: tlsCert, key: tlsKey) : nil
                try await ExporterServer(address: address, cache: cache, tls: files).run { bound in
                    FileHandle.standardError.write(
                        Data(
                            "brickctl exporter: listening on \(bound) (GET \(tls ? "https" : "http")://…/metrics; interval \(interval) s, deadline \(deadline) s)\n"
                                .utf8))
                }
            } catch let error as ExporterError {
                throw CommandFailure(error.commandLineDescription)
            }
            await pool.shutdown()
        }
    }
}

extension ExporterError {
    var commandLineDescription: String {
        switch code {
        case .addressInUse:
            return
                "cannot listen on \(address): the port is in use (another exporter? `ss -ltnp 'sport = :\(address.port)'` names it); stop it or pass --listen ADDR:PORT"
        case .tlsFiles:
            return
                "--tls: cannot read \(detail): give this host's certificate and key from the pool CA (`brickctl tls issue HOST`, then `brickctl tls install BUNDLE` on this host) or --tls-cert/--tls-key, or leave --tls out"
        case .cannotListen:
            return
                "cannot listen on \(address) (\(detail)): pass --listen with an address of this host, e.g. --listen :\(ListenAddress.defaultPort)"
        }
    }
}
