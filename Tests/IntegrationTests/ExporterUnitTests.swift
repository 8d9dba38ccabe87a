import Foundation
import HostIO
import Testing

extension Integration {
    /// `exporter install` on a machine without systemd running (this one): the unit it writes, and
    /// the one shipped in scripts/systemd, pass `systemd-analyze verify`; a second install with the
    /// same flags changes nothing. Enabling it under a running systemd stays untested here.
    @Suite struct ExporterUnitTests {
        func verify(_ unit: String) throws -> Command.Output {
            try Command("systemd-analyze", ["verify", "--man=no", unit]).run(timeout: 60)
        }

        @Test func theInstalledUnitPassesSystemdAnalyzeVerifyAndASecondInstallChangesNothing() throws {
            try Fixtures.requireRoot()
            let dir = try Fixtures.directory("exporter-unit")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let arguments = [
                "exporter", "install", "--no-enable", "--unit-dir", dir, "--binary", Fixtures.brickctl, "--listen",
                "127.0.0.1:9799", "--interval", "30", "--plugin-config", "/etc/brickctl/plugin.json", "--tls",
            ]
            let install = try Fixtures.run(arguments)
            try #require(install.status == 0, "\(install.stderr)")
            #expect(install.stdout == "wrote \(dir)/brickctl-exporter.service\n")
            let unit = try String(contentsOfFile: "\(dir)/brickctl-exporter.service", encoding: .utf8)
            #expect(
                unit.contains(
                    "ExecStart=\(Fixtures.brickctl) exporter serve --listen 127.0.0.1:9799 --interval 30 --plugin-config /etc/brickctl/plugin.json --tls\n"
                ), "\(unit)")
            let written = try verify("\(dir)/brickctl-exporter.service")
            #expect(written.status == 0 && written.stderr.isEmpty, "\(written.stderr)")
            let again = try Fixtures.run(arguments)
            #expect(again.status == 0 && again.stdout == "\(dir)/brickctl-exporter.service is up to date\n")

            // The flags of the unit parse as the exporter's own (the unit would not start otherwise).
            let bad = try Fixtures.run(["exporter", "install", "--no-enable", "--unit-dir", dir, "--listen", "nowhere"])
            #expect(bad.status == 2 && bad.stderr.contains("--listen nowhere"), "\(bad.stderr)")

            // The shipped copy, with its ExecStart pointed at the built binary.
            let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let text = try String(
                contentsOf: repo.appendingPathComponent("scripts/systemd/brickctl-exporter.service"), encoding: .utf8)
            try text.replacingOccurrences(of: "/usr/local/bin/brickctl", with: Fixtures.brickctl).write(
                toFile: "\(dir)/brickctl-exporter.service", atomically: true, encoding: .utf8)
            let shipped = try verify("\(dir)/brickctl-exporter.service")
            #expect(shipped.status == 0 && shipped.stderr.isEmpty, "\(shipped.stderr)")
        }
    }
}
