import BrickctlTestSupport
import Glibc
import Testing

@testable import DiskPreparation

/// `PrepareError` as a typed value: code, message, cause and advice, and the text they make.
@Suite(.offCooperativePool) struct PrepareErrorTests {
    @Test func messageAlone() {
        let e = PrepareError(.kernel, "the partition has no device node yet")
        #expect(e.code == .kernel)
        #expect(e.cause == nil)
        #expect(e.description == "the partition has no device node yet")
    }

    @Test func errnoCauseReadsAsStrerrorAndAdviceFollows() {
        let e = PrepareError(
            .kernel, "cannot remove partition 1 of loop7 from the kernel", cause: .errno(EBUSY),
            advice: "it is mounted or in use: unmount it first")
        #expect(
            e.description
                == "cannot remove partition 1 of loop7 from the kernel: \(String(cString: strerror(EBUSY))); it is mounted or in use: unmount it first"
        )
    }

    struct LowerError: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { "cannot lock /dev/vdb: errno \(errno)" }
    }

    @Test func anUnderlyingErrorStaysTyped() throws {
        let lower = LowerError(errno: EACCES)
        let e = PrepareError(.busy, "another brickctl run is working on /dev/vdb", cause: .error(lower))
        guard case .error(let kept) = try #require(e.cause) else {
            Issue.record("cause is not the underlying error: \(String(describing: e.cause))")
            return
        }
        #expect((kept as? LowerError)?.errno == EACCES)
        #expect(e.description == "another brickctl run is working on /dev/vdb: \(lower)")
    }

    @Test func toolOutputWithAdviceButNoCauseSeparator() {
        let e = PrepareError(
            .mount, "mount /data/glusterfs/brick1 failed", cause: .output("wrong fs type"),
            advice: "the fstab entry was removed again")
        #expect(
            e.description == "mount /data/glusterfs/brick1 failed: wrong fs type; the fstab entry was removed again")
        let noCause = PrepareError(
            .filesystem, "the new filesystem on /dev/vdb1 has no UUID", advice: "run prepare again")
        #expect(noCause.description == "the new filesystem on /dev/vdb1 has no UUID; run prepare again")
    }
}
