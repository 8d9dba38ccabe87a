import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct GlusterCLITests {
    func judge(
        status: Int32 = 0, stdout: String = "", stderr: String = "", xml: Bool = true, subject: String? = "gv0"
    ) throws(GlusterCLIError) -> GlusterCLI.Answer {
        try GlusterCLI.judge(
            status: status, stdout: stdout, stderr: stderr, expectsXML: xml, command: "gluster volume info gv0",
            subject: subject,
            timeout: 60)
    }

    @Test func argvIsWatchdogThenGlusterInScriptModeWithTimeout() {
        let cli = GlusterCLI(launcher: ["nsenter", "-t", "42", "-n", "-m"], timeout: 30)
        #expect(
            cli.argv(["volume", "set", "gv0", "network.ping-timeout", "5"]) == [
                "-k", "5", "40", "nsenter", "-t", "42", "-n", "-m", "gluster", "--mode=script", "--xml", "--timeout=30",
                "volume", "set", "gv0", "network.ping-timeout", "5",
            ])
        #expect(cli.display(["volume", "set", "gv0", "k", "a b"]) == "gluster volume set gv0 k 'a b'")
    }

    @Test func successfulXMLIsTheEnvelope() throws {
        let text = try Fixture.text("volume-info-started.xml")
        #expect(try judge(stdout: text) == .envelope(try CLIEnvelope(parsing: text)))
    }

    @Test func glusterdDownIsPlainTextOnStdoutWithExit1() throws {
        let stdout = try Fixture.text("glusterd-down.stdout.txt")
        do {
            _ = try judge(status: 1, stdout: stdout)
            Issue.record("no error")
        } catch {
            #expect(
                error
                    == .glusterdNotRunning(
                        command: "gluster volume info gv0",
                        output: "Connection failed. Please check if gluster daemon is operational."))
            #expect(error.description.hasPrefix("glusterd is not running on this host: "))
            #expect(error.description.contains("systemctl start glusterd"))
        }
    }

    @Test func requestTimedOutAndTheWatchdogAreTimeouts() throws {
        let stdout = try Fixture.text("request-timed-out.stdout.txt")
        #expect(throws: GlusterCLIError.timedOut(command: "gluster volume info gv0", seconds: 60)) {
            try judge(status: 1, stdout: stdout)
        }
        // `volume heal … info` ignores --timeout: brickctl's watchdog (`timeout`) ends it 10 s later.
        #expect(throws: GlusterCLIError.timedOut(command: "gluster volume info gv0", seconds: 70)) {
            try judge(status: 124)
        }
        #expect(throws: GlusterCLIError.timedOut(command: "gluster volume info gv0", seconds: 70)) {
            try judge(status: 137)
        }
    }

    @Test func refusalWithExitZeroIsStillARefusal() throws {
        // `peer probe` of an unreachable host: opRet -1, exit 0.
        let stdout = try Fixture.text("fail-probe-no-node.xml")
        do {
            _ = try judge(status: 0, stdout: stdout, subject: "10.111.17.99")
            Issue.record("no error")
        } catch {
            #expect(error.refusal?.kind == .peerUnreachable)
            #expect(error.description == error.refusal?.message)
        }
    }

    @Test func healInfoRefusalExitsNonZeroWithXML() throws {
        let stdout = try Fixture.text("fail-heal-info-stopped.xml")
        do {
            _ = try judge(status: 251, stdout: stdout)
            Issue.record("no error")
        } catch {
            #expect(error.refusal?.kind == .healUnavailable)
        }
    }

    @Test func busyIsARefusalTheRunLoopRetries() throws {
        let stdout = try Fixture.text("fail-busy-another-transaction.xml")
        do {
            _ = try judge(stdout: stdout)
            Issue.record("no error")
        } catch {
            #expect(error.refusal?.kind == .busy)
        }
    }

    @Test func successWithNonZeroExitIsAFailure() throws {
        let stdout = try Fixture.text("volume-set.xml")
        #expect(throws: GlusterCLIError.self) { try judge(status: 2, stdout: stdout) }
    }

    @Test func missingXMLIsUnreadable() throws {
        #expect(throws: GlusterCLIError.self) { try judge(status: 0, stdout: "Launching heal operation") }
        #expect(throws: GlusterCLIError.self) { try judge(status: 0, stdout: "<cliOutput><opRet>0</opRet>") }
    }

    @Test func healTriggerAnswersInText() throws {
        let stdout = try Fixture.text("heal-trigger.txt")
        #expect(
            try judge(stdout: stdout, xml: false)
                == .text(
                    "Launching heal operation to perform index self heal on volume gv0 has been successful \nUse heal info commands to check status."
                ))
        let full = try Fixture.text("heal-trigger-full.txt")
        #expect(
            try judge(stdout: full, xml: false)
                == .text(
                    "Launching heal operation to perform full self heal on volume gv0 has been successful \nUse heal info commands to check status."
                ))
    }

    @Test func healTriggerFailureDropsTheLaunchingLine() throws {
        let stderr = try Fixture.text("heal-trigger-missing.stderr.txt")
        do {
            _ = try judge(status: 1, stderr: stderr, xml: false, subject: "nosuchvol")
            Issue.record("no error")
        } catch {
            #expect(error.refusal?.kind == .noSuchVolume)
            #expect(error.refusal?.raw == "Volume nosuchvol does not exist")
            #expect(error.description == "there is no volume nosuchvol")
        }
    }

    @Test func unknownFailureKeepsTheText() {
        #expect(throws: GlusterCLIError.failed(command: "gluster volume info gv0", status: 3, output: "")) {
            try judge(status: 3, xml: false)
        }
        do {
            _ = try judge(status: 1, stderr: "something new", xml: false)
        } catch {
            #expect(error.refusal?.kind == .other)
            #expect(error.description == "something new")
        }
    }

    @Test func messagesSayWhatToDo() {
        let busy = GlusterCLIError.busy(
            command: "gluster volume set gv0 k v", waited: 10,
            refusal: GlusterRefusal.interpret(
                "Another transaction is in progress for gv0. Please try again after some time."))
        #expect(busy.description.contains("after 10 s of retries") && busy.description.contains("try again"))
        let timedOut = GlusterCLIError.timedOut(command: "gluster volume heal gv0 info", seconds: 60)
        #expect(timedOut.description.hasPrefix("glusterd did not answer `gluster volume heal gv0 info` within 60 s"))
        #expect(
            GlusterCLIError.lockTimedOut(path: "/run/lock/brickctl-gluster.lock", seconds: 85).description.contains(
                "another brickctl run"))
    }
}

extension GlusterCLITests {
    @Test func healRightAfterStartIsNotReadyYet() throws {
        let stderr = try Fixture.text("heal-trigger-too-early.stderr.txt")
        do {
            _ = try judge(status: 1, stderr: stderr, xml: false, subject: "gh")
            Issue.record("no error")
        } catch {
            #expect(error.refusal?.kind == .selfHealNotReady)
            #expect(
                error.refusal?.raw
                    == "Glusterd Syncop Mgmt brick op 'Heal' failed. Please check glustershd log file for details.")
        }
    }

    @Test func replaceBrickWhileASelfHealDaemonStartsIsNotReadyYet() throws {
        let xml = try Fixture.text("fail-replace-brick-shd-not-running.xml")
        do {
            _ = try judge(status: 1, stdout: xml, subject: "gv0")
            Issue.record("no error")
        } catch {
            #expect(error.refusal?.kind == .selfHealNotReady)
            #expect(error.description.contains("self-heal daemon of gv0 is not running on every host"))
        }
    }
}
