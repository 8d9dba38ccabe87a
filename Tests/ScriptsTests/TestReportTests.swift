import BrickctlTestSupport
import Foundation
import Testing

/// scripts/test-report on the stacks of a real hung run: gdb's `thread apply all bt` of the test
/// process after `hangsOnPurpose()`, added to FstabFieldTests for the recording (declared at line
/// 32, looping at 33), had run past the limit and every other test had finished.
@Suite(.offCooperativePool) struct TestReportTests {
    func report(running: String) throws -> [String] {
        let dir = try Scripts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try running.write(toFile: "\(dir)/running", atomically: true, encoding: .utf8)
        let output = try Scripts.run(
            "test-report",
            ["--stacks", Scripts.fixture("hung-run.stacks.txt"), "--running", "\(dir)/running", "--others-shown", "2"])
        #expect(output.status == 0, "\(output.stderr)")
        return output.stdout.split(separator: "\n").map(String.init)
    }

    @Test func namesTheTestOnAStackFirstWithItsFileAndLine() throws {
        let lines = try report(
            running: """
                181\tFstabTests.FstabFieldTests/hangsOnPurpose()/FstabFieldTests.swift:32:6
                12\tFstabTests.FstabFileTests/roundTrips()/FstabFileTests.swift:20:6
                12\tGlusterTests.PeerTests/parses()/PeerTests.swift:9:6
                11\tGlusterTests.PeerTests/other()/PeerTests.swift:30:6

                """)
        #expect(lines.first == "stopped while on a stack (the test that hung): 1")
        #expect(lines[1] == "  FstabTests.FstabFieldTests/hangsOnPurpose()/FstabFieldTests.swift:32:6 (running 181 s)")
        #expect(lines[2].contains("FstabFieldTests.hangsOnPurpose()"))
        #expect(lines[3].hasSuffix("Tests/FstabTests/FstabFieldTests.swift:33"))
        let rest = try #require(lines.firstIndex { $0.hasPrefix("stopped, on no thread's stack") })
        #expect(lines[rest] == "stopped, on no thread's stack (waiting for something else, or not yet begun): 3")
        #expect(lines[rest + 3] == "  ... and 1 more", "at most --others-shown names, then a count")
        #expect(lines.last == "hung: hangsOnPurpose at FstabFieldTests.swift:33")
    }

    @Test func aFrameBelowTheDeclarationCountsWhenTheNameIsNotOnTheStack() throws {
        // The recorded stack has a frame in FstabFieldTests.swift at line 33 only; a test declared
        // at 25 (and none between) owns it even under another name (a closure in its body).
        let lines = try report(
            running: "200\tFstabTests.FstabFieldTests/loopsInAClosure()/FstabFieldTests.swift:25:6\n"
                + "200\tFstabTests.FstabFieldTests/declaredAbove()/FstabFieldTests.swift:10:6\n")
        #expect(lines.first == "stopped while on a stack (the test that hung): 1")
        #expect(
            lines.contains("  FstabTests.FstabFieldTests/declaredAbove()/FstabFieldTests.swift:10:6 (running 200 s)"))
        #expect(lines.last == "hung: loopsInAClosure at FstabFieldTests.swift:33")
    }

    @Test func saysSoWhenNoStoppedTestIsOnAStack() throws {
        let lines = try report(running: "190\tGlusterTests.PeerTests/parses()/PeerTests.swift:9:6\n")
        #expect(
            lines.first == "no stopped test's function is on a stack (the process may have hung outside a test body)")
        #expect(!lines.contains { $0.hasPrefix("hung:") })
    }

    @Test func saysSoWhenNothingWasRunning() throws {
        let lines = try report(running: "")
        #expect(lines == ["no test was running: it hung outside a test (a fixture's setup or teardown, or the runner)"])
    }
}
