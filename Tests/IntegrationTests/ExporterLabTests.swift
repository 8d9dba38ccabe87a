import Foundation
import Gluster
import HostIO
import Testing

extension Integration {
    /// `brickctl exporter` and `brickctl status` on the Gluster lab, watched by a real Prometheus
    /// (Debian's package) with the shipped alert rules: a killed brick fires BrickDown, and
    /// `volume start --force` resolves it; a brick disk filled to 95 % fires BrickSpaceLow.
    @Suite struct ExporterLabTests {
        let lab: Lab
        static let exporterPort = 9713
        static let prometheusPort = 9090

        init() throws {
            lab = try Lab.shared()
            let probe = try lab.brickctl("n1", ["peer", "probe", "n2", "n3"])
            try #require(probe.status == 0, "peer probe: \(probe.stderr)")
        }

        /// Starts `argv` inside `node` in the background; its pid (in the node's pid file) and log
        /// are under /run/brickctl-health-test-NAME.* in the node.
        func startDaemon(_ node: String, _ name: String, _ argv: [String]) throws -> ChildProcess {
            let base = "/run/brickctl-health-test-\(name)"
            return try Command(
                lab.script,
                ["exec", node, "sh", "-c", "echo $$ >\(base).pid; exec \"$@\" 2>>\(base).log", "sh"] + argv,
                environment: ["LAB_ID": Lab.id]
            ).spawn(stdout: .null, stderr: .null)
        }

        /// Ends a daemon startDaemon started, by the pid it wrote, and waits (at most 10 s) until it is gone.
        func stopDaemon(_ node: String, _ name: String, _ child: ChildProcess) {
            let pidText = (try? lab.exec(node, ["cat", "/run/brickctl-health-test-\(name).pid"]).stdout) ?? ""
            if let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGTERM)
                let deadline = monotonicSeconds() + 10
                while kill(pid, 0) == 0 && monotonicSeconds() < deadline { usleep(50_000) }
                if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
            }
            _ = child.terminate()
        }

        func log(_ node: String, _ name: String) -> String {
            (try? lab.exec(node, ["tail", "-20", "/run/brickctl-health-test-\(name).log"]).stdout) ?? ""
        }

        /// `curl` inside `node` (Prometheus and the exporters listen inside the lab's network only).
        func get(_ node: String, _ url: String) throws -> String {
            let out = try lab.exec(node, ["curl", "-sS", "--max-time", "10", url])
            return out.status == 0 ? out.stdout : ""
        }

        /// Waits (at most `seconds`) until `condition` holds; returns the seconds it took, nil if never.
        func waitFor(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Double? {
            let start = monotonicSeconds()
            while monotonicSeconds() - start < seconds {
                if try condition() { return monotonicSeconds() - start }
                usleep(250_000)
            }
            return nil
        }

        /// The alerts Prometheus holds: (alertname, state, brick label).
        func alerts() throws -> [(name: String, state: String, brick: String?)] {
            let text = try get("n1", "http://127.0.0.1:\(Self.prometheusPort)/api/v1/alerts")
            guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                let data = json["data"] as? [String: Any], let list = data["alerts"] as? [[String: Any]]
            else { return [] }
            return list.map {
                let labels = $0["labels"] as? [String: String] ?? [:]
                return (labels["alertname"] ?? "", $0["state"] as? String ?? "", labels["brick"])
            }
        }

        @Test func prometheusFiresBrickDownAndResolvesItAfterStartForce() throws {
            try #require(
                (try? Command.resolve("prometheus")) != nil, "prometheus is missing: run scripts/install-deps")
            let name = lab.volumeName("ex")
            #expect(try lab.brickctl("n1", ["volume", "create", name, "--replica", "3"]).status == 0)
            #expect(try lab.brickctl("n1", ["volume", "start", name]).status == 0)
            defer {
                _ = try? lab.gluster("n1", ["volume", "stop", name])
                _ = try? lab.gluster("n1", ["volume", "delete", name])
            }

            // An exporter on n1 and n2 (each reads the whole pool: one alert per brick, not per exporter).
            var exporters: [(String, ChildProcess)] = []
            defer { for (node, child) in exporters { stopDaemon(node, "exporter", child) } }
            for node in ["n1", "n2"] {
                exporters.append(
                    (
                        node,
                        try startDaemon(
                            node, "exporter",
                            [
                                Fixtures.brickctl, "exporter", "--listen", ":\(Self.exporterPort)", "--interval", "1",
                                "--deadline", "8", "--no-swarm",
                            ])
                    ))
            }
            for node in ["n1", "n2"] {
                let up = try waitFor(30) {
                    try get(node, "http://127.0.0.1:\(Self.exporterPort)/metrics").contains(
                        "brickctl_volume_started{volume=\"\(name)\"} 1")
                }
                try #require(
                    up != nil, "the exporter on \(node) did not serve \(name) within 30 s: \(log(node, "exporter"))")
            }
            let page = try get("n1", "http://127.0.0.1:\(Self.exporterPort)/metrics")
            #expect(page.contains("brickctl_brick_online{volume=\"\(name)\",brick=\"n3:"), "\(page)")
            #expect(page.contains("brickctl_scrape_error 0"))
            #expect(page.contains("brickctl_brick_free_bytes{volume=\"\(name)\""))

            // A second exporter on the same port: a clear error, exit 1.
            let clash = try lab.exec(
                "n1", ["timeout", "30", Fixtures.brickctl, "exporter", "--listen", ":\(Self.exporterPort)"])
            #expect(clash.status == 1 && clash.stderr.contains("the port is in use"), "\(clash.stderr)")

            // Prometheus in n1: the shipped rules, their `for:` shortened to 2 s so that the drill
            // takes seconds (promtool's rule tests check the real durations).
            let dir = try Fixtures.directory("prometheus")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let repo = URL(fileURLWithPath: lab.script).deletingLastPathComponent().deletingLastPathComponent().path
            let rules = try String(contentsOfFile: "\(repo)/scripts/prometheus/brickctl.rules.yml", encoding: .utf8)
                .replacingOccurrences(of: #"for: [0-9]+[smh]"#, with: "for: 2s", options: .regularExpression)
            try rules.write(toFile: "\(dir)/brickctl.rules.yml", atomically: true, encoding: .utf8)
            try """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
              scrape_timeout: 1s
            rule_files: [brickctl.rules.yml]
            scrape_configs:
              - job_name: brickctl
                static_configs:
                  - targets: ["n1:\(Self.exporterPort)", "n2:\(Self.exporterPort)"]
            """.write(toFile: "\(dir)/prometheus.yml", atomically: true, encoding: .utf8)
            let busy = try lab.exec("n1", ["ss", "-Hltn", "sport = :\(Self.prometheusPort)"]).stdout
            try #require(busy.isEmpty, "port \(Self.prometheusPort) is taken in n1: \(busy)")
            let prometheus = try startDaemon(
                "n1", "prometheus",
                [
                    "prometheus", "--config.file=\(dir)/prometheus.yml", "--storage.tsdb.path=\(dir)/data",
                    "--web.listen-address=127.0.0.1:\(Self.prometheusPort)", "--log.level=warn",
                ])
            defer { stopDaemon("n1", "prometheus", prometheus) }
            let ready = try waitFor(60) {
                try get("n1", "http://127.0.0.1:\(Self.prometheusPort)/-/ready").contains("Ready")
            }
            try #require(ready != nil, "prometheus did not get ready within 60 s: \(log("n1", "prometheus"))")
            // Both exporters scraped and up.
            let scraped = try waitFor(30) {
                let text = try get(
                    "n1", "http://127.0.0.1:\(Self.prometheusPort)/api/v1/query?query=sum(up%7Bjob%3D%22brickctl%22%7D)"
                )
                return text.contains("\"2\"")
            }
            #expect(scraped != nil, "prometheus does not see both exporters up")
            #expect(try alerts().filter { $0.name == "BrickDown" && $0.brick?.hasSuffix("/\(name)") == true }.isEmpty)

            // Kill n3's brick process.
            let out = try lab.gluster("n1", ["--xml", "volume", "status", name])
            let status = try #require(try VolumeStatus.list(from: CLIEnvelope(parsing: out.stdout)).first)
            let brick = try #require(status.bricks.first { $0.address.host == "n3" })
            let pid = try #require(brick.pid)
            #expect(try lab.exec("n3", ["kill", "-9", String(pid)]).status == 0)
            let fired = try waitFor(90) {
                try alerts().contains {
                    $0.name == "BrickDown" && $0.state == "firing" && $0.brick == brick.address.description
                }
            }
            try #require(fired != nil, "BrickDown did not fire within 90 s: \((try? alerts()).map { "\($0)" } ?? "")")
            print(
                "exporter lab: BrickDown firing \(String(format: "%.1f", fired ?? 0)) s after the kill (scrape 1 s, for 2 s)"
            )
            // One alert for the brick, though two exporters report it.
            #expect(try alerts().filter { $0.name == "BrickDown" && $0.brick == brick.address.description }.count == 1)

            // `brickctl status` agrees: degraded (exit 1), the brick offline, with its fix.
            let degraded = try lab.brickctl("n2", ["status", "--json", "--no-swarm"])
            #expect(degraded.status >= 1, "\(degraded.stdout)")
            let report = try JSONSerialization.jsonObject(with: Data(degraded.stdout.utf8)) as? [String: Any]
            let problems = report?["problems"] as? [[String: Any]] ?? []
            let offline = problems.first {
                $0["code"] as? String == "brick-offline"
                    && ($0["facts"] as? [String: Any])?["brick"] as? String == brick.address.description
            }
            #expect(offline?["fix"] as? String == "brickctl volume start \(name) --force", "\(problems)")
            let text = try lab.brickctl("n2", ["status", "--no-swarm"])
            #expect(text.stdout.contains("brick \(brick.address) of \(name) is offline"), "\(text.stdout)")
            #expect(text.stderr.contains("problem"))

            // The fix it names brings the brick back; the alert resolves.
            #expect(try lab.brickctl("n1", ["volume", "start", name, "--force"]).status == 0)
            let resolved = try waitFor(90) {
                try !alerts().contains { $0.name == "BrickDown" && $0.brick == brick.address.description }
            }
            #expect(resolved != nil, "BrickDown did not resolve within 90 s: \((try? alerts()).map { "\($0)" } ?? "")")

            // n1's brick disk filled to 95 % (a file beside the brick directory, not through
            // Gluster): BrickSpaceLow fires for n1's brick, and resolves when the file is gone.
            let filler = "/data/glusterfs/brick1/brickctl-health-test-filler"
            defer { _ = try? lab.exec("n1", ["rm", "-f", filler]) }
            let df = try lab.exec("n1", ["df", "-B1", "--output=size,avail", "/data/glusterfs/brick1"]).stdout
            let figures = df.split(separator: "\n").last?.split(separator: " ").compactMap { Int64($0) } ?? []
            try #require(figures.count == 2, "df: \(df)")
            let fill = figures[1] - figures[0] / 20
            #expect(try lab.exec("n1", ["fallocate", "-l", String(fill), filler]).status == 0)
            let low = try waitFor(90) {
                try alerts().contains {
                    $0.name == "BrickSpaceLow" && $0.state == "firing" && $0.brick == "n1:\(brick.address.path)"
                }
            }
            #expect(low != nil, "BrickSpaceLow did not fire within 90 s")
            #expect(try lab.exec("n1", ["rm", "-f", filler]).status == 0)
            let spaceBack = try waitFor(90) {
                try !alerts().contains { $0.name == "BrickSpaceLow" && $0.brick == "n1:\(brick.address.path)" }
            }
            #expect(spaceBack != nil, "BrickSpaceLow did not resolve within 90 s")

            let after = try lab.brickctl("n2", ["status", "--json", "--no-swarm"])
            #expect(!after.stdout.contains("\"brick\" : \"\(brick.address)\""), "\(after.stdout)")
        }

        /// The plugin's lab (dockerd and `brickctl plugin serve` in n1 and n2): a container in n1
        /// holds a brickctl volume that is a stack's backups volume, with a backup status file in
        /// it. n1's exporter shows the FUSE mount, the holder, the plugin's own request counts
        /// (its socket endpoint) and the backup's age read through the FUSE mount; n3's (a Gluster
        /// server without the plugin) shows the backup's age read through gfapi.
        @Test func pluginMetricsShowAContainersMountAndHolderAndTheBackupAge() throws {
            let env = try PluginLab.shared()
            let gluster = env.gluster
            let stack = "hx\(Lab.id)"
            let volume = "\(stack)_backups"
            let port = Self.exporterPort + 1
            let config = "/run/brickctl-health-test-plugin.json"
            let configJSON =
                #"{"servers": ["n1", "n2"], "volume": "\#(gluster)", "stateDir": "\#(PluginLab.stateDir)"}"#
            #expect(try lab.exec("n1", ["sh", "-c", "cat >\(config)"], input: configJSON).status == 0)
            let status = """
                {"version":1,"database":"wordpress","intervalSeconds":900,"keep":96,"updated":"2026-12-07T00:30:02Z",\
                "lastAttemptOk":true,"dumps":1,"lastGood":{"file":"wordpress-20261207T003000Z.sql.zst",\
                "time":"2026-12-07T00:30:00Z","bytes":100,"sha256":"00"},"lastError":null}
                """
            let docker = ["/usr/bin/docker"]
            #expect(try lab.exec("n1", docker + ["volume", "create", "-d", "brickctl", volume]).status == 0)
            defer { _ = try? lab.exec("n1", docker + ["volume", "rm", volume]) }
            let run = try lab.exec(
                "n1",
                docker + [
                    "run", "-d", "-v", "\(volume):/d", "busybox:lab", "sh", "-c",
                    "echo \"$1\" >/d/status.json && exec sleep 600", "sh", status,
                ])
            let container = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(run.status == 0, "\(run.stderr)")
            var removed = false
            defer { if !removed { _ = try? lab.exec("n1", docker + ["rm", "-f", container]) } }

            var exporters: [(String, ChildProcess)] = []
            defer { for (node, child) in exporters { stopDaemon(node, "exporter-plugin", child) } }
            for node in ["n1", "n3"] {
                exporters.append(
                    (
                        node,
                        try startDaemon(
                            node, "exporter-plugin",
                            [
                                Fixtures.brickctl, "exporter", "--listen", ":\(port)", "--interval", "1", "--deadline",
                                "8", "--no-swarm",
                            ] + (node == "n1" ? ["--plugin-config", config] : []))
                    ))
            }
            let metrics = "http://127.0.0.1:\(port)/metrics"
            let expected = [
                "brickctl_plugin_up{host=\"n1\"} 1",
                "brickctl_plugin_mounted{host=\"n1\",volume=\"\(gluster)\"} 1",
                "brickctl_plugin_mount_stale{host=\"n1\",volume=\"\(gluster)\"} 0",
                "brickctl_plugin_volume_holders{host=\"n1\",docker_volume=\"\(volume)\",volume=\"\(gluster)\"} 1",
                "brickctl_backup_last_success_timestamp_seconds{stack=\"\(stack)\"} 1796603400",
            ]
            var page = ""
            let shown = try waitFor(60) {
                page = try get("n1", metrics)
                return expected.allSatisfy { page.contains($0 + "\n") }
            }
            #expect(
                shown != nil,
                "n1's exporter: missing \(expected.filter { !page.contains($0) }); log: \(log("n1", "exporter-plugin"))"
            )
            // The plugin's own figures, from its socket: the Mount it answered, its latency and memory.
            #expect(page.contains("brickctl_plugin_requests_total{host=\"n1\",endpoint=\"/VolumeDriver.Mount\"} "))
            #expect(
                page.contains(
                    "brickctl_plugin_request_duration_seconds_count{host=\"n1\",endpoint=\"/VolumeDriver.Mount\"} "))
            #expect(page.contains("brickctl_plugin_resident_memory_bytes{host=\"n1\"} "))
            #expect(page.contains("brickctl_plugin_fuse_mounts_total{host=\"n1\",volume=\"\(gluster)\"} "))

            // n3 has no plugin: no plugin families; the backup is read through gfapi.
            let gfapi = try waitFor(60) {
                try get("n3", metrics).contains(
                    "brickctl_backup_last_success_timestamp_seconds{stack=\"\(stack)\"} 1796603400\n")
            }
            #expect(gfapi != nil, "n3's exporter: \((try? get("n3", metrics)) ?? ""); \(log("n3", "exporter-plugin"))")
            #expect(!(try get("n3", metrics)).contains("brickctl_plugin_"))

            // `brickctl status` names the backup's age.
            let text = try lab.brickctl("n1", ["status", "--no-swarm", "--plugin-config", config])
            #expect(
                text.stdout.contains("backup of \(stack): newest good dump wordpress-20261207T003000Z.sql.zst, "),
                "\(text.stdout)")

            // The container gone, its hold is gone.
            #expect(try lab.exec("n1", docker + ["rm", "-f", container]).status == 0)
            removed = true
            let released = try waitFor(30) {
                try get("n1", metrics).contains(
                    "brickctl_plugin_volume_holders{host=\"n1\",docker_volume=\"\(volume)\",volume=\"\(gluster)\"} 0\n")
            }
            #expect(released != nil, "the holder did not go: \((try? get("n1", metrics)) ?? "")")
        }

        /// `exporter --tls` with n1's certificate from the pool CA (`brickctl tls init` + `issue`):
        /// a scrape that trusts the CA works, one without it is refused, and unreadable files are
        /// a clear error before anything listens.
        @Test func aTLSScrapeWorksWithThePoolCAAndFailsWithoutIt() throws {
            let dir = try Fixtures.directory("exporter-tls")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            #expect(try lab.brickctl("n1", ["tls", "init", "--dir", "\(dir)/ca"]).status == 0)
            let issue = try lab.brickctl("n1", ["tls", "issue", "n1", "--dir", "\(dir)/ca", "--out", "\(dir)/n1.pem"])
            try #require(issue.status == 0, "\(issue.stderr)")
            // The bundle (key, n1's certificate, the CA's) split into the two files the exporter reads.
            let ca = try String(contentsOfFile: "\(dir)/ca/ca.pem", encoding: .utf8)
            let bundle = try String(contentsOfFile: "\(dir)/n1.pem", encoding: .utf8)
            let blocks = bundle.components(separatedBy: "-----BEGIN ").dropFirst().map { "-----BEGIN " + $0 }
            let key = blocks.filter { $0.contains("PRIVATE KEY-----") }.joined()
            let host = blocks.filter {
                $0.hasPrefix("-----BEGIN CERTIFICATE-----")
                    && !ca.contains($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }.joined()
            try #require(!key.isEmpty && !host.isEmpty, "bundle: \(blocks.count) blocks")
            try key.write(toFile: "\(dir)/n1.key", atomically: true, encoding: .utf8)
            try host.write(toFile: "\(dir)/n1.crt", atomically: true, encoding: .utf8)

            let port = Self.exporterPort + 2
            let exporter = try startDaemon(
                "n1", "exporter-tls",
                [
                    Fixtures.brickctl, "exporter", "--listen", ":\(port)", "--interval", "5", "--no-swarm", "--tls",
                    "--tls-cert", "\(dir)/n1.crt", "--tls-key", "\(dir)/n1.key",
                ])
            defer { stopDaemon("n1", "exporter-tls", exporter) }
            let url = "https://n1:\(port)/metrics"
            var trusted = Command.Output(status: -1, stdout: "", stderr: "")
            let served = try waitFor(30) {
                trusted = try lab.exec("n1", ["curl", "-sS", "--max-time", "10", "--cacert", "\(dir)/ca/ca.pem", url])
                return trusted.status == 0 && trusted.stdout.contains("brickctl_scrape_error")
            }
            #expect(served != nil, "with the CA: \(trusted.stderr); \(log("n1", "exporter-tls"))")
            let untrusted = try lab.exec("n1", ["curl", "-sS", "--max-time", "10", url])
            #expect(
                untrusted.status == 60 && untrusted.stdout.isEmpty,
                "without the CA: \(untrusted.status) \(untrusted.stderr)")
            let plain = try lab.exec("n1", ["curl", "-sS", "--max-time", "10", "http://n1:\(port)/metrics"])
            #expect(!plain.stdout.contains("brickctl_"), "plain HTTP is not served")

            let missing = try lab.exec(
                "n1",
                [
                    "timeout", "30", Fixtures.brickctl, "exporter", "--listen", ":\(port + 1)", "--tls", "--tls-cert",
                    "\(dir)/none.crt", "--tls-key", "\(dir)/n1.key",
                ])
            #expect(
                missing.status == 1 && missing.stderr.contains("--tls: cannot read \(dir)/none.crt"),
                "\(missing.stderr)")
        }
    }
}
