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
    }
}
