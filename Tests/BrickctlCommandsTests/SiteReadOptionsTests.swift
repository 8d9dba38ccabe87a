import ArgumentParser
import Foundation
import Testing

@testable import BrickctlCommands

/// `status` and `exporter serve` refuse a plugin configuration path that names no file, instead of
/// reading the site as one without a volume plugin; without the option they read the default.
struct SiteReadOptionsTests {
    @Test func aMissingPluginConfigIsRefusedWithTheFix() {
        #expect {
            _ = try StatusCommand.parse(["--no-swarm", "--plugin-config", "/nonexistent/brickctl/plugin.json"])
        } throws: { error in
            let text = StatusCommand.message(for: error)
            return text.contains("--plugin-config /nonexistent/brickctl/plugin.json: no such file")
                && text.contains("brickctl plugin install")
        }
    }

    @Test func anExistingPluginConfigOrNoneIsRead() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("site-read-\(getpid()).json").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data("{}".utf8)))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let given = try StatusCommand.parse(["--plugin-config", file])
        #expect(given.sources.reader.pluginConfigPath == file)
        let absent = try StatusCommand.parse(["--no-swarm"])
        #expect(absent.sources.reader.pluginConfigPath == nil)
        #expect(absent.sources.reader.swarm == false)
    }
}
