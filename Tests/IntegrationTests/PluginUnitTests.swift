import Foundation
import HostIO
import Testing

extension Integration {
    /// `plugin install` on a machine without systemd running (this one): the unit it writes, and
    /// the one shipped in scripts/systemd, pass `systemd-analyze verify` (syntax, directives,
    /// the ExecStart binary). Enabling and starting it under a running systemd stays untested here.
    @Suite struct PluginUnitTests {
        func verify(_ unit: String) throws -> Command.Output {
            try Command("systemd-analyze", ["verify", "--man=no", unit]).run(timeout: 60)
        }

        @Test func theInstalledUnitPassesSystemdAnalyzeVerify() throws {
            try Fixtures.requireRoot()
            let dir = try Fixtures.directory("plugin-unit")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let install = try Fixtures.run([
                "plugin", "install", "--no-enable", "--config", "\(dir)/plugin.json", "--unit-dir", dir, "--binary",
                Fixtures.brickctl, "--servers", "n1,n2", "--volume", "gv0",
            ])
            try #require(install.status == 0, "\(install.stderr)")
            let written = try verify("\(dir)/brickctl-plugin.service")
            #expect(written.status == 0 && written.stderr.isEmpty, "\(written.stderr)")

            // The shipped copy, with its ExecStart pointed at the built binary (/usr/local/bin has none here).
            let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            for name in ["brickctl-plugin.service", "brickctl-activate.service"] {
                let text = try String(
                    contentsOf: repo.appendingPathComponent("scripts/systemd/\(name)"), encoding: .utf8)
                try text.replacingOccurrences(of: "/usr/local/bin/brickctl", with: Fixtures.brickctl).write(
                    toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
                let shipped = try verify("\(dir)/\(name)")
                #expect(shipped.status == 0 && shipped.stderr.isEmpty, "\(name): \(shipped.stderr)")
            }
        }
    }
}
