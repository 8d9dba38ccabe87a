import BrickctlTestSupport
import Foundation
import HostIO
import Testing

@testable import Fstab

/// Output captured from util-linux 2.38.1's `findmnt --verify --tab-file` on Debian 12.
@Suite(.offCooperativePool) struct FstabVerificationTests {
    static let parseErrorStderr = """
        findmnt: /etc/fstab: parse error at line 2 -- ignored
        findmnt: /etc/fstab: parse error at line 4 -- ignored

        2 parse errors, 1 error, 2 warnings

        """
    static let problemsStdout = """
        /srv/x
           [E] unreachable on boot required target: No such file or directory
           [ ] VFS options: noatime
           [W] unreachable source: /dev/vdz1: No such file or directory

        """

    @Test func readsParseErrorsProblemsAndSummary() {
        let verification = FstabVerification(status: 1, stdout: Self.problemsStdout, stderr: Self.parseErrorStderr)
        #expect(verification.parseErrorLines == [2, 4])
        #expect(verification.summary == "2 parse errors, 1 error, 2 warnings")
        #expect(
            verification.problems == [
                .init(
                    target: "/srv/x", severity: .error,
                    message: "unreachable on boot required target: No such file or directory"),
                .init(target: "/srv/x", severity: .note, message: "VFS options: noatime"),
                .init(
                    target: "/srv/x", severity: .warning,
                    message: "unreachable source: /dev/vdz1: No such file or directory"),
            ])
    }

    @Test func parseErrorsOnLinesAlreadyInTheFileAreTolerated() {
        let previous = FstabFile(parsing: "# c\ngarbage\n/dev/a /a xfs defaults 0 0\n")
        let next = previous.adding(brick).adding(FstabEntry(spec: "/dev/b", mountPoint: "/b", type: "xfs"))
        var verification = FstabVerification(
            status: 1, stdout: "",
            stderr: """
                findmnt: f: parse error at line 2 -- ignored

                1 parse error, 0 errors, 0 warnings
                """)
        #expect(verification.rejection(of: next, previous: previous) == nil)
        verification.parseErrorLines = [2, 5]
        #expect(
            verification.rejection(of: next, previous: previous)
                == "line 5 \"/dev/b /b xfs defaults 0 0\" does not parse")
    }

    @Test func errorsAndWarningsAreAcceptedButReported() {
        let file = FstabFile().adding(brick)
        let verification = FstabVerification(
            status: 1, stdout: Self.problemsStdout, stderr: "\n0 parse errors, 1 error, 2 warnings\n")
        #expect(verification.rejection(of: file, previous: FstabFile()) == nil)
        #expect(verification.problems.count == 3)
    }

    @Test func outputWithoutSummaryIsRejected() {
        let verification = FstabVerification(
            status: 1, stdout: "", stderr: "findmnt: can't read /x: Permission denied\n")
        #expect(
            verification.rejection(of: FstabFile(), previous: FstabFile())
                == "findmnt: can't read /x: Permission denied")
    }

    @Test func successLineCounts() {
        let verification = FstabVerification(status: 0, stdout: "Success, no errors or warnings detected\n", stderr: "")
        #expect(verification.summary == "Success, no errors or warnings detected")
        #expect(verification.rejection(of: FstabFile(), previous: FstabFile()) == nil)
    }

    /// Checks the captured format above against the findmnt installed here.
    @Test func thisMachinesFindmntPrintsTheFormatWeRead() throws {
        try ScratchDirectory.with { dir in
            let path = "\(dir)/fstab"
            try Disk.write("# c\n/dev/brickctl-none /srv/brickctl-none xfs defaults 0 0\nnot-an-entry\n", to: path)
            let output = try Command("findmnt", ["--verify", "--tab-file", path]).run()
            let verification = FstabVerification(status: output.status, stdout: output.stdout, stderr: output.stderr)
            #expect(verification.parseErrorLines == [3])
            #expect(verification.summary?.hasPrefix("1 parse error, ") == true)
            #expect(
                verification.problems.contains {
                    $0.target == "/srv/brickctl-none" && $0.severity == .error
                })
        }
    }
}
