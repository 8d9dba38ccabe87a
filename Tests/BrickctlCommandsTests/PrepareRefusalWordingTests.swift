import BlockDevices
import BrickctlTestSupport
import Testing

@testable import BrickctlCommands
@testable import DiskPreparation

/// The command line's wording of a `prepare` refusal: the domain's message, then advice that names
/// `prepare`'s options or a brickctl command (the domain names neither).
@Suite(.offCooperativePool) struct PrepareRefusalWordingTests {
    @Test func wipeableSignaturesGetTheWipeOption() {
        let r = PrepareRefusal(device: "/dev/vdb", obstacle: .wipeableSignatures(count: 2), reasons: ["it holds ext4"])
        #expect(!r.description.contains("--"))
        #expect(r.commandLineText == "refusing /dev/vdb: it holds ext4; pass --wipe to destroy them (the data is lost)")
    }

    @Test func withoutCommandLineAdviceTheDomainsHintIsKept() {
        let r = PrepareRefusal(
            device: "/dev/vda", obstacle: .unavailable([.rootFilesystem]), reasons: ["it holds /"],
            hint: "this is the system disk: brickctl never touches it")
        #expect(r.commandLineHint == nil)
        #expect(r.commandLineText == r.description)
        #expect(r.commandLineText.hasSuffix("; this is the system disk: brickctl never touches it"))
    }

    @Test func everyCommandLineHintIsAboutTheCommandLine() {
        let obstacles: [PrepareRefusal.Obstacle] = [
            .wipeableSignatures(count: 1), .holdsData, .alreadyBrick(label: "brick1"),
            .alreadySetUp(mountPoint: "/data/glusterfs/brick1"), .noFreeLabel, .mountPointNotAbsolute,
            .mountPointTaken, .mountPointNotEmpty,
        ]
        for obstacle in obstacles {
            let r = PrepareRefusal(device: "/dev/vdb", obstacle: obstacle, reasons: ["x"])
            let hint = r.commandLineHint ?? ""
            #expect(hint.contains("--") || hint.contains("`brickctl"), "\(obstacle): \(hint)")
            #expect(r.commandLineText == "refusing /dev/vdb: x; \(hint)")
        }
    }
}
