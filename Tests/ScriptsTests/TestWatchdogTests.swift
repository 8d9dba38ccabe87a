import BrickctlTestSupport
import Foundation
import HostIO
import Testing

/// scripts/test-watchdog on a small test binary that hangs (Tests/Support/WatchdogFixture): it
/// stops the run by itself, names the hung test with its file and line from a real gdb stack, and
/// counts passed, failed and stopped apart; a test that declares a longer limit of its own
/// (`.timeLimit`) is let run.
@Suite(.offCooperativePool) struct TestWatchdogTests {
    @Test func stopsAHungRunAndNamesTheTestOnTheStack() throws {
        guard (try? Command.resolve("gdb")) != nil else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("gdb is missing: scripts/install-deps installs it")
            }
            return
        }
        let fixture = try Scripts.builtExecutable("watchdog-fixture")
        let dir = try Scripts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let started = ContinuousClock.now
        let output = try Scripts.run(
            "test-watchdog",
            ["--sources", "\(Scripts.folder)/../Tests/Support/WatchdogFixture", "--", fixture, "@EVENTS@"],
            environment: ["BRICKCTL_TEST_LIMIT": "3", "BRICKCTL_TEST_STACKS_DIR": dir], timeout: 240)
        let lines = (output.stdout + output.stderr).split(separator: "\n").map(String.init)

        #expect(output.status == 124, "stopped by the watchdog: \(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("watchdog-fixture: running 5 tests"), "the command's own output is shown")
        #expect(
            output.stdout.hasSuffix(
                "tests: 2 passed, 1 failed, 2 stopped (watchdog: 2 test(s) ran longer than 3 s and no other test is left)\n"
            ))
        let source = try String(
            contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Support/WatchdogFixture/main.swift").path,
            encoding: .utf8)
        let loopLine =
            try #require(
                source.split(separator: "\n", omittingEmptySubsequences: false)
                    .firstIndex { $0.contains("while true { usleep") }) + 1
        #expect(lines.contains("test-watchdog: hung: hangsOnPurpose at main.swift:\(loopLine)"), "\(output.stderr)")
        #expect(
            lines.contains { $0.hasPrefix("test-watchdog: failed: WatchdogFixture/fails()/main.swift:") },
            "failed tests are named")
        let culprit = try #require(lines.firstIndex { $0.contains("stopped while on a stack") })
        let rest = try #require(lines.firstIndex { $0.contains("stopped, on no thread's stack") })
        #expect(culprit < rest, "the test on a stack comes first")
        #expect(lines[rest + 1].contains("WatchdogFixture/neverBegins()/main.swift:"))
        let stacks = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasPrefix("brickctl-test-stacks-")
        }
        #expect(stacks.count == 1, "the stacks are saved to a file")
        #expect(
            lines.contains { $0.hasPrefix("test-watchdog: every thread's stack is in \(dir)/brickctl-test-stacks-") })
        #expect(started.duration(to: .now) < .seconds(200), "it stopped by itself")
    }

    @Test func aRunWithoutATestSummaryFails() throws {
        // No Swift Testing summary in the output: the watchdog says so and fails the run.
        let output = try Scripts.run(
            "test-watchdog", ["--", "/bin/true", "@EVENTS@"], environment: ["BRICKCTL_TEST_LIMIT": "3"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("test-watchdog: no test summary found (exit status 0)"))
        #expect(output.stdout == "tests: 0 passed, 0 failed, 0 stopped (the test process ended without a summary)\n")
    }

    @Test func refusesAMissingCommand() throws {
        let output = try Scripts.run("test-watchdog", ["--"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("no command"))
    }
}
