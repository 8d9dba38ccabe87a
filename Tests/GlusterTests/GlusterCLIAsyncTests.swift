import BrickctlTestSupport
import Foundation
import HostIO
import Testing

@testable import Gluster

/// The way into the gluster CLI: judging, lock and busy retries, the process run on a
/// BlockingPool and the pauses as `Task.sleep`s. A stand-in `gluster` program (a script replaying glusterd's
/// recorded answers) takes the place of the real one; the lab tests run the real gluster.
@Suite(.offCooperativePool) struct GlusterCLIAsyncTests {
    /// A stand-in gluster that answers `answers[n]` (fixture name) on its n-th call, then the last.
    struct StandIn {
        let folder: String
        func cli(on pool: BlockingPool) -> GlusterCLI {
            // A retry window of 8 s: each stand-in call is a shell start, which took over a second
            // under the load of a full suite beside other builds (3 s gave only 2 calls).
            GlusterCLI(
                executable: "\(folder)/gluster", timeout: 5, lockPath: "\(folder)/lock", busyRetry: 8, pool: pool)
        }
        var calls: Int {
            Int((try? String(contentsOfFile: "\(folder)/calls", encoding: .utf8))?.split(separator: "\n").count ?? 0)
        }

        init(_ answers: [String]) throws {
            folder = NSTemporaryDirectory() + "brickctl-gluster-standin-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (n, name) in answers.enumerated() {
                try Fixture.text(name).write(toFile: "\(folder)/answer.\(n + 1)", atomically: true, encoding: .utf8)
            }
            let script = """
                #!/bin/sh
                echo "$*" >>"\(folder)/calls"
                n=$(wc -l <"\(folder)/calls")
                [ -f "\(folder)/answer.$n" ] || n=\(answers.count)
                cat "\(folder)/answer.$n"
                """
            try script.write(toFile: "\(folder)/gluster", atomically: true, encoding: .utf8)
            chmod("\(folder)/gluster", 0o755)
        }

        func remove() { try? FileManager.default.removeItem(atPath: folder) }
    }

    @Test func busyAnswersAreRetriedOnThePoolUntilGlusterdAnswers() async throws {
        let standIn = try StandIn([
            "fail-busy-another-transaction.xml", "fail-busy-another-transaction.xml", "volume-info-started.xml",
        ])
        defer { standIn.remove() }
        let pool = BlockingPool(threads: 1)
        let envelope = try await standIn.cli(on: pool).run(["volume", "info", "gv0"], subject: "gv0")
        #expect(envelope == (try CLIEnvelope(parsing: try Fixture.text("volume-info-started.xml"))))
        #expect(standIn.calls == 3)
        await pool.shutdown()
    }

    @Test func aCreateRefusedWhilePeersConnectIsTriedAgain() async throws {
        let standIn = try StandIn(["fail-create-staging-peer-not-connected.xml", "volume-create-replica3.xml"])
        defer { standIn.remove() }
        let pool = BlockingPool(threads: 1)
        let layout = try VolumeLayout.plan(
            name: "gv0", replica: 3, arbiter: false, hosts: ["n1", "n2", "n3"], brickRoot: "/data/b")
        let id = try await standIn.cli(on: pool).create(layout: layout)
        #expect(id != nil)
        #expect(standIn.calls == 2)
        await pool.shutdown()
    }

    @Test func aReplaceBrickRefusedWhileASelfHealDaemonStartsIsTriedAgain() async throws {
        let standIn = try StandIn(["fail-replace-brick-shd-not-running.xml", "volume-replace-brick.xml"])
        defer { standIn.remove() }
        let pool = BlockingPool(threads: 1)
        let volume = try #require(
            try VolumeInfo.list(from: Fixture.envelope("volume-info-started")).first { $0.name == "gv0" })
        let plan = try BrickReplacement.plan(
            name: "gv0", volume: volume,
            status: try VolumeStatus.list(from: Fixture.envelope("volume-status-brick-offline")).first,
            heal: try HealInfo.decode(from: Fixture.envelope("heal-info-summary-brick-offline")),
            allVolumes: [volume], poolHosts: ["n1", "n2", "n3"],
            old: BrickAddress(host: "n3", path: "/data/glusterfs/brick1/brick/gv0"),
            new: BrickAddress(host: "n3", path: "/data/glusterfs/brick2/brick/gv0"),
            newDirectory: .usable(onBrickDisk: true))
        try await standIn.cli(on: pool).replaceBrick(plan)
        #expect(standIn.calls == 2)
        await pool.shutdown()
    }

    @Test func aRefusalIsATypedErrorAndNotRetried() async throws {
        let standIn = try StandIn(["fail-start-started.xml"])
        defer { standIn.remove() }
        let pool = BlockingPool(threads: 1)
        do {
            try await standIn.cli(on: pool).run(["volume", "start", "gv0"], subject: "gv0")
            Issue.record("no error")
        } catch {
            guard case .refused(let refusal, let command) = error else {
                Issue.record("expected a refusal, got \(error)")
                return
            }
            #expect(refusal.kind == .alreadyStarted)
            #expect(command == "gluster volume start gv0")
        }
        #expect(standIn.calls == 1)
        await pool.shutdown()
    }

    @Test func stillBusyAfterTheRetryWindowIsBusy() async throws {
        let standIn = try StandIn(["fail-busy-another-transaction.xml"])
        defer { standIn.remove() }
        let pool = BlockingPool(threads: 1)
        do {
            try await standIn.cli(on: pool).run(["volume", "info", "gv0"], subject: "gv0")
            Issue.record("no error")
        } catch {
            guard case .busy(_, let waited, _) = error else {
                Issue.record("expected busy, got \(error)")
                return
            }
            #expect(waited <= 8)
            #expect(standIn.calls >= 3)
        }
        await pool.shutdown()
    }
}
