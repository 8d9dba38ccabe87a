import BrickctlTestSupport
import Testing

@testable import BrickctlCommands
@testable import Gluster

/// How a half-failed `tls enable|disable` is told: the step, the cause, and whether the options
/// set before it were put back.
@Suite(.offCooperativePool) struct VolumeTLSChangeWordingTests {
    let cause = GlusterCLIError.glusterdNotRunning(command: "gluster volume set gv0 client.ssl on", output: "")

    @Test func undoneSaysNothingChanged() {
        let failed = VolumeTLSChangeFailed(
            volume: "gv0", failedStep: .set(key: "client.ssl", value: "on"), cause: cause,
            applied: [.set(key: "ssl.own-cert", value: "/etc/ssl/glusterfs.pem")], undoFailure: nil)
        #expect(failed.commandLineMessage.hasPrefix("volume gv0: `client.ssl on` failed ("))
        #expect(
            failed.commandLineMessage.hasSuffix(
                "the options set before it (`ssl.own-cert /etc/ssl/glusterfs.pem`) were put back as they were: nothing changed"
            ))
    }

    @Test func aFirstStepFailureChangedNothing() {
        let failed = VolumeTLSChangeFailed(
            volume: "gv0", failedStep: .set(key: "client.ssl", value: "off"), cause: cause, applied: [],
            undoFailure: nil)
        #expect(failed.commandLineMessage.hasSuffix("; nothing was changed"))
    }

    @Test func aFailedUndoSaysWhereToLook() {
        let failed = VolumeTLSChangeFailed(
            volume: "gv0", failedStep: .reset(key: "ssl.ca-list"), cause: cause,
            applied: [.set(key: "client.ssl", value: "off")], undoFailure: cause)
        #expect(
            failed.commandLineMessage.contains("putting back the options set before it (`client.ssl off`) failed too"))
        #expect(
            failed.commandLineMessage.hasSuffix(
                "see `gluster volume info gv0` and run this command again once glusterd answers"))
    }
}
