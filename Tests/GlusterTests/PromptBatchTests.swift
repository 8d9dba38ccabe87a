import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

/// `volume status` reads info, status and the heal count with one gluster process in prompt
/// mode: the answers of real lab runs are split and decoded here.
@Suite(.offCooperativePool) struct PromptBatchTests {
    let root = "/data/glusterfs/brick1/brick/gvp"

    /// The batch's output split as `GlusterCLI.batch` splits it, and `volume info` decoded.
    func split(_ name: String) throws -> (documents: [String], rest: String, info: VolumeInfo) {
        let (documents, rest) = GlusterCLI.splitPromptOutput(try Fixture.text("batch-report-\(name).stdout.txt"))
        let first = try #require(documents.first)
        let info = try #require(try VolumeInfo.list(from: CLIEnvelope(parsing: first)).first)
        return (documents, rest, info)
    }

    @Test func twoXMLAnswersThenTheHealCountText() throws {
        let (documents, rest, info) = try split("clean")
        #expect(documents.count == 2)
        #expect(documents.allSatisfy { $0.hasPrefix("<?xml") && $0.hasSuffix("</cliOutput>") })
        #expect(info.name == "gvp" && info.bricks.count == 3)
        let status = try VolumeStatus.list(from: CLIEnvelope(parsing: documents[1]))
        #expect(status.first?.bricks.count == 3)
        #expect(rest.hasPrefix("Gathering count of entries to be healed on volume gvp has been successful"))
    }

    @Test func aCleanCountNeedsNoGlfsheal() throws {
        let (_, rest, info) = try split("clean")
        let heal = try #require(HealInfo.decode(healCount: rest))
        #expect(heal.bricks.map(\.address.description) == ["n1:\(root)", "n2:\(root)", "n3:\(root)"])
        #expect(heal.bricks.map(\.entries) == [0, 0, 0])
        // Nothing in the index means nothing in split-brain either.
        #expect(heal.bricks.map(\.splitBrain) == [0, 0, 0])
        #expect(heal.bricks.allSatisfy { $0.connected })
        #expect(heal.isClean(for: info))
    }

    @Test func anOfflineBrickIsUnknownAndNotClean() throws {
        let (documents, rest, info) = try split("brick-offline")
        #expect(documents.count == 2)
        let heal = try #require(HealInfo.decode(healCount: rest))
        #expect(heal.bricks.map(\.entries) == [4, 4, nil])
        #expect(heal.total == 8)
        #expect(heal.unknown == [BrickAddress(host: "n3", path: root)])
        #expect(heal.bricks[2].status == "Brick is not connected")
        #expect(!heal.bricks[2].connected)
        // Entries pending: whether any is in split-brain is not known from the count.
        #expect(heal.bricks[0].splitBrain == nil)
        #expect(!heal.isClean(for: info))
    }

    @Test func aFailedCountPrintsOnStderrAndLeavesNoText() throws {
        // A self-heal daemon down: heal-count fails as a whole; glfsheal is asked instead.
        let (documents, rest, _) = try split("shd-offline")
        #expect(documents.count == 2)
        #expect(rest.isEmpty)
        #expect(HealInfo.decode(healCount: rest) == nil)
        let stderr = try Fixture.text("batch-report-shd-offline.stderr.txt")
        #expect(HealInfo.decode(healCount: stderr) == nil)
        #expect(stderr.contains("Self-heal daemon is not running"))
    }

    @Test func aStoppedVolumeAnswersInfoAndRefusesStatus() throws {
        let (documents, rest, info) = try split("stopped")
        #expect(documents.count == 2)
        #expect(info.status == .stopped)
        #expect(rest.isEmpty)
        let refused = try CLIEnvelope(parsing: documents[1])
        #expect(refused.opRet != 0)
        #expect(refused.output == "Volume gvp is not started")
    }

    @Test func aCountMissingABrickIsNotClean() throws {
        let (_, rest, info) = try split("clean")
        var heal = try #require(HealInfo.decode(healCount: rest))
        heal.bricks.removeLast()
        #expect(!heal.isClean(for: info))
    }

    @Test func splittingEdgeCases() {
        #expect(GlusterCLI.splitPromptOutput("").documents.isEmpty)
        #expect(
            GlusterCLI.splitPromptOutput("Connection failed. Please check if gluster daemon is operational.\n").rest
                .isEmpty)
        // An answer cut short (no </cliOutput>) ends where the next one starts.
        let cut = GlusterCLI.splitPromptOutput("<?xml a><cliOutput>x<?xml b><cliOutput></cliOutput>\ntail\n")
        #expect(cut.documents == ["<?xml a><cliOutput>x", "<?xml b><cliOutput></cliOutput>"])
        #expect(cut.rest == "tail")
    }
}
