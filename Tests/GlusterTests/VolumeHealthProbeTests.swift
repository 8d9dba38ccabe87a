import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct VolumeHealthProbeTests {
    @Test func fileNamesAreUniqueAndSafe() {
        #expect(VolumeHealthProbe.fileName(host: "n1", pid: 42, token: "beef") == "probe-n1-42-beef")
        #expect(VolumeHealthProbe.fileName(host: "web 1/../x", pid: 7, token: "1") == "probe-web_1_.._x-7-1")
        #expect(VolumeHealthProbe.fileName(host: "", pid: 7, token: "1") == "probe-host-7-1")
        #expect(
            VolumeHealthProbe.token() != VolumeHealthProbe.token()
                || VolumeHealthProbe.token() != VolumeHealthProbe.token())
    }

    @Test func payloadHasTheRequestedSizeAndNamesItsFile() {
        let payload = VolumeHealthProbe.payload(
            size: 4096, path: "/.brickctl-probe/p", now: Date(timeIntervalSince1970: 1))
        #expect(payload.count == 4096)
        #expect(String(decoding: payload.prefix(40), as: UTF8.self).hasPrefix("brickctl probe /.brickctl-probe/p"))
        #expect(VolumeHealthProbe.payload(size: 3, path: "/x").count == 3)
    }

    @Test func mismatchSaysWhatDiffers() {
        let written = VolumeHealthProbe.payload(size: 100, path: "/p")
        #expect(VolumeHealthProbe.mismatch(expected: written, actual: written) == nil)
        #expect(
            VolumeHealthProbe.mismatch(expected: written, actual: written.prefix(60)) == "read back 60 bytes, wrote 100"
        )
        var changed = written
        changed[70] ^= 0xff
        #expect(
            VolumeHealthProbe.mismatch(expected: written, actual: changed)
                == "read back different bytes (first difference at offset 70)")
    }

    @Test func errorNamesTheStepAndTheLeftover() {
        let cause = GlusterAPIError(operation: .open, volume: "gvb", path: "/.brickctl-probe/p", errno: ENOTCONN)
        let error = VolumeProbeError(
            step: .read, volume: "gvb", path: "/.brickctl-probe/p", cause: cause, completed: [],
            leftover: "/.brickctl-probe/p")
        #expect(
            error.description.hasPrefix(
                "probe of volume gvb failed at step read: wrote /.brickctl-probe/p but could not read it back: cannot open"
            ))
        #expect(error.description.hasSuffix("; /.brickctl-probe/p is left behind, delete it by hand"))
    }
}
