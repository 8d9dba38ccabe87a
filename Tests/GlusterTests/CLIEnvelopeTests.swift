import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct CLIEnvelopeTests {
    @Test func everyFixtureHasAnEnvelopeAndFailuresAreNamedSo() throws {
        let names = try Fixture.allXML()
        #expect(names.count >= 70)
        for name in names {
            let envelope = try Fixture.envelope(name)
            #expect(envelope.succeeded == !name.hasPrefix("fail-"), "\(name)")
            // glusterd 10.3 words a replace-brick's success in opErrstr ("replace-brick commit
            // force operation successful"): success is opRet, never the text.
            if name != "volume-replace-brick" {
                #expect(envelope.succeeded == envelope.opErrstr.isEmpty, "\(name)")
            }
        }
    }

    @Test func successCarriesNoReason() throws {
        let envelope = try Fixture.envelope("volume-set")
        #expect(envelope.opRet == 0 && envelope.opErrno == 0 && envelope.opErrstr == "")
        #expect(envelope.cliOp == "volSet")
        #expect(envelope.output == "Set volume successful")
    }

    @Test func healInfoPutsTheEnvelopeAfterThePayload() throws {
        let envelope = try Fixture.envelope("fail-heal-info-missing")
        #expect(envelope.opRet == -1)
        #expect(envelope.opErrno == 2)
        #expect(envelope.opErrstr == "Volume nosuchvol does not exist")
    }

    @Test func detachWithBricksFailsWithOpRetOne() throws {
        let envelope = try Fixture.envelope("fail-detach-peer-with-bricks")
        #expect(envelope.opRet == 1)
        #expect(!envelope.succeeded)
        #expect(envelope.refusal(subject: "n2").kind == .peerInUse)
    }

    @Test func multiLineReasonIsKept() throws {
        let envelope = try Fixture.envelope("fail-set-unknown-option")
        #expect(
            envelope.opErrstr == "option : no.such-option does not exist\nDid you mean nfs.drc-size or ...rpc-statd?")
        #expect(envelope.output == "Set volume unsuccessful")
    }

    @Test func operationAnswersCarryTheVolumeID() throws {
        #expect(try Fixture.envelope("volume-create-replica3").volumeID == "cdd06ae0-5d36-413f-a7ca-50cb5ac9bb4f")
        #expect(try Fixture.envelope("volume-create-arbiter").volumeID == "db65d02e-e32c-4e32-9ea3-c845b0e08b7b")
        #expect(try Fixture.envelope("volume-delete").volumeID == "cdd06ae0-5d36-413f-a7ca-50cb5ac9bb4f")
        #expect(try Fixture.envelope("volume-set").volumeID == nil)
    }

    @Test(arguments: [
        ("fail-create-exists", "gv0", GlusterRefusal.Kind.volumeExists),
        ("fail-create-root-partition", "gvr", .brickOnRootFilesystem),
        ("fail-create-mount-point", "gvm", .brickIsMountPoint),
        ("fail-create-contains-brick", "gvn", .brickOverlaps),
        ("fail-create-brick-of-deleted-volume", "gv1", .brickAlreadyUsed),
        ("fail-create-brick-of-failed-create", "gvu", .brickAlreadyUsed),
        ("fail-create-parent-of-deleted-volume", "gq2", .brickAlreadyUsed),
        ("fail-create-unknown-host", "gvu", .hostNotInPool),
        ("fail-create-unresolvable-host", "gvq", .hostNotInPool),
        ("fail-create-peer-disconnected", "gvz", .peerUnreachable),
        ("fail-create-same-host", "gvs", .bricksOnSameHost),
        ("fail-start-started", "gv0", .alreadyStarted),
        ("fail-stop-stopped", "gv0", .volumeNotStarted),
        ("fail-status-not-started", "gv0", .volumeNotStarted),
        ("fail-delete-started", "gv0", .volumeStarted),
        ("fail-delete-missing", "gv0", .noSuchVolume),
        ("fail-volume-info-missing", "nosuchvol", .noSuchVolume),
        ("fail-status-missing", "nosuchvol", .noSuchVolume),
        ("fail-heal-info-missing", "nosuchvol", .noSuchVolume),
        ("fail-heal-info-stopped", "gv0", .healUnavailable),
        ("fail-heal-info-arbiter-only", "gva", .healUnavailable),
        ("fail-set-unknown-option", "gv0", .unknownOption),
        ("fail-busy-another-transaction", "gv0", .busy),
        ("fail-busy-another-transaction-global", "gva", .busy),
        ("fail-detach-not-in-pool", "n3", .hostNotInPool),
        ("fail-detach-unknown", "nosuchhost", .hostNotInPool),
        ("fail-detach-peer-with-bricks", "n2", .peerInUse),
        ("fail-probe-unresolvable", "nosuchhost", .peerUnreachable),
        ("fail-probe-no-node", "10.111.17.99", .peerUnreachable),
    ])
    func realRefusalsAreRecognised(fixture: String, subject: String, kind: GlusterRefusal.Kind) throws {
        let envelope = try Fixture.envelope(fixture)
        #expect(!envelope.succeeded)
        let refusal = envelope.refusal(subject: subject)
        #expect(refusal.kind == kind, "\(fixture): \(envelope.opErrstr)")
        #expect(refusal.raw == envelope.opErrstr)
    }

    @Test func notXMLIsAnErrorThatQuotesTheText() throws {
        let text = try Fixture.text("glusterd-down.stdout.txt")
        #expect(throws: GlusterXMLError.self) { try CLIEnvelope(parsing: text) }
        do {
            _ = try CLIEnvelope(parsing: text)
        } catch {
            #expect(error.description.contains("Connection failed. Please check if gluster daemon is operational."))
        }
    }

    @Test func otherRootElementIsRefused() {
        #expect(throws: GlusterXMLError.self) {
            try CLIEnvelope(parsing: "<?xml version=\"1.0\"?><html><opRet>0</opRet></html>")
        }
        #expect(throws: GlusterXMLError.self) {
            try CLIEnvelope(parsing: "<cliOutput><opErrno>0</opErrno></cliOutput>")
        }
        #expect(throws: GlusterXMLError.self) { try CLIEnvelope(parsing: "") }
    }
}

extension CLIEnvelopeTests {
    @Test func truncatedXMLIsAnErrorNotACrash() {
        #expect(throws: GlusterXMLError.self) {
            try CLIEnvelope(parsing: "<?xml version=\"1.0\"?>\n<cliOutput>\n  <opRet>0</opRet>\n  <opErr")
        }
        #expect(throws: GlusterXMLError.self) { try CLIEnvelope(parsing: "<cliOutput>") }
        #expect(throws: GlusterXMLError.self) { try CLIEnvelope(parsing: "  \n") }
    }
}
