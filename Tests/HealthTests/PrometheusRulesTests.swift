import BrickctlTestSupport
import Foundation
import HostIO
import Testing

@testable import Health

#if canImport(Glibc)
    import Glibc
#endif

/// The alert rules, their unit tests and the sample configuration in scripts/prometheus, checked by
/// a real Prometheus's `promtool` (Debian's `prometheus` package, which scripts/install-deps
/// installs). Skipped only where it cannot be installed: not root and not CI.
@Suite(.offCooperativePool) struct PrometheusRulesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/prometheus").path

    static let promtool = try? Command.resolve("promtool")
    /// In CI, or as root (where scripts/install-deps runs), promtool must be there.
    static let required = ProcessInfo.processInfo.environment["CI"] == "true" || getuid() == 0
    static let runs = promtool != nil || required

    func run(_ arguments: [String], input: String? = nil) throws -> Command.Output {
        let tool = try #require(
            Self.promtool, "promtool is missing: run scripts/install-deps (Debian's prometheus package)")
        return try Command(tool, arguments).run(input: input, timeout: 120)
    }

    func text(_ name: String) throws -> String {
        try String(contentsOfFile: "\(Self.folder)/\(name)", encoding: .utf8)
    }

    @Test(.enabled(if: runs, "promtool is not installed and this is neither root nor CI"))
    func rulesAreValid() throws {
        let out = try run(["check", "rules", "\(Self.folder)/brickctl.rules.yml"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("SUCCESS: 11 rules found"), "\(out.stdout)")
    }

    @Test(.enabled(if: runs, "promtool is not installed and this is neither root nor CI"))
    func ruleUnitTestsPass() throws {
        let out = try run(["test", "rules", "\(Self.folder)/brickctl.rules.test.yml"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("SUCCESS"), "\(out.stdout)")
    }

    @Test(.enabled(if: runs, "promtool is not installed and this is neither root nor CI"))
    func sampleConfigurationIsValid() throws {
        let out = try run(["check", "config", "\(Self.folder)/prometheus.yml"])
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
    }

    @Test(.enabled(if: runs, "promtool is not installed and this is neither root nor CI"))
    func theExportersPagePassesPromtoolsLint() throws {
        let site = try SiteMetricsTests().fullSite()
        let page = SiteMetrics.render(site, health: SiteHealth.assess(site), scrape: ScrapeFacts(durationSeconds: 0.1))
        let out = try run(["check", "metrics"], input: page)
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
    }

    /// Every alert the rules define has input series and an expected firing in the rule tests, and
    /// the ten alerts are all there.
    @Test func everyAlertIsTested() throws {
        let rules = try text("brickctl.rules.yml")
        let tests = try text("brickctl.rules.test.yml")
        let alerts = rules.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("- alert: ") ? String(trimmed.dropFirst(9)) : nil
        }
        let required = [
            "BrickDown", "PeerDisconnected", "HealsPendingTooLong", "SplitBrain", "BrickSpaceLow", "BrickInodesLow",
            "PluginMountStale", "QuotaNearlyFull", "BackupTooOld", "ExporterDown",
        ]
        #expect(Set(required).isSubset(of: Set(alerts)), "\(alerts)")
        for alert in alerts {
            // An expected firing: the alertname followed (in its block) by a non-empty exp_alerts.
            let blocks = tests.components(separatedBy: "alertname: \(alert)\n").dropFirst()
            #expect(
                blocks.contains { !$0.hasPrefix("        exp_alerts: []") }, "\(alert) has no test in which it fires")
        }
    }
}
