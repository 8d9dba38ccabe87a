import BrickctlTestSupport
import Testing

@testable import Gluster

/// `brick replace`'s decisions from recorded `--xml` answers (Fixtures/README).
@Suite(.offCooperativePool) struct BrickReplacementTests {
    let root = "/data/glusterfs/brick1/brick"

    func volumes(_ fixture: String) throws -> [VolumeInfo] { try VolumeInfo.list(from: Fixture.envelope(fixture)) }
    func volume(_ fixture: String, _ name: String = "gv0") throws -> VolumeInfo {
        try #require(try volumes(fixture).first { $0.name == name })
    }
    func status(_ fixture: String) throws -> VolumeStatus {
        try #require(try VolumeStatus.list(from: Fixture.envelope(fixture)).first)
    }
    func heal(_ fixture: String) throws -> HealInfo { try HealInfo.decode(from: Fixture.envelope(fixture)) }
    func brick(_ host: String, _ path: String) -> BrickAddress { BrickAddress(host: host, path: path) }

    /// n3's brick of gv0 died (brick offline, 9 entries pending on n1 and n2 for it).
    func plan(
        old: BrickAddress? = nil, new: BrickAddress? = nil, info: String = "volume-info-started",
        status statusFixture: String = "volume-status-brick-offline",
        heal healFixture: String? = "heal-info-summary-brick-offline", all: [VolumeInfo]? = nil,
        pool: [String]? = ["n1", "n2", "n3"], directory: BrickReplacement.NewDirectory = .usable(onBrickDisk: true),
        available: UInt64? = nil, used: [BrickAddress: UInt64] = [:], force: Bool = false, name: String = "gv0"
    ) throws(BrickReplacementRefusal) -> BrickReplacement {
        let info = try? volume(info)
        return try BrickReplacement.plan(
            name: name, volume: name == "gv0" ? info : nil, status: try? status(statusFixture),
            heal: healFixture.flatMap { try? heal($0) }, allVolumes: all ?? (info.map { [$0] } ?? []),
            poolHosts: pool, old: old ?? brick("n3", "\(root)/gv0"),
            new: new ?? brick("n3", "/data/glusterfs/brick2/brick/gv0"), newDirectory: directory,
            newAvailableBytes: available, usedBytes: used, force: force)
    }

    @Test func aNewDiskSmallerThanWhatTheCopiesUseIsRefused() throws {
        let used = [brick("n1", "\(root)/gv0"): UInt64(900 << 20), brick("n2", "\(root)/gv0"): 700 << 20]
        #expect(
            throws: BrickReplacementRefusal.newTooSmall(
                brick("n3", "/data/glusterfs/brick2/brick/gv0"), available: 512 << 20, needed: 900 << 20,
                copy: brick("n1", "\(root)/gv0"))
        ) { try plan(available: 512 << 20, used: used) }
        // Not even --force: it would fill the disk, not just lose redundancy.
        #expect(throws: BrickReplacementRefusal.self) { try plan(available: 512 << 20, used: used, force: true) }
        #expect(try plan(available: 1 << 30, used: used).phase == .replace)
        #expect(try plan(available: nil, used: used).phase == .replace)  // unknown (NEW on another host)
    }

    @Test func deadBrickIsReplacedWithinItsSet() throws {
        let plan = try plan()
        #expect(plan.phase == .replace)
        #expect(plan.setIndex == 0)
        #expect(
            plan.setAfter.map(\.description) == [
                "n1:\(root)/gv0", "n2:\(root)/gv0", "n3:/data/glusterfs/brick2/brick/gv0",
            ])
        #expect(plan.notes == [.oldOffline])
        #expect(
            plan.replaceArguments == [
                "volume", "replace-brick", "gv0", "n3:\(root)/gv0", "n3:/data/glusterfs/brick2/brick/gv0", "commit",
                "force",
            ])
    }

    @Test func unknownVolumeIsRefused() {
        #expect(throws: BrickReplacementRefusal.unknownVolume("nope")) { try plan(name: "nope") }
    }

    @Test func oldNotInVolumeIsRefused() {
        #expect {
            try plan(old: brick("n3", "/data/glusterfs/brick1/brick/other"))
        } throws: { error in
            guard case .oldNotInVolume(_, "gv0", let bricks) = error as? BrickReplacementRefusal else { return false }
            return bricks.count == 3
        }
    }

    @Test func oldOnlineAndSourceOfPendingHealsIsRefused() {
        // n1 is online and holds 9 entries that n3 still needs.
        let n1 = brick("n1", "\(root)/gv0")
        #expect(throws: BrickReplacementRefusal.oldIsHealSource(n1, entries: 9)) {
            try plan(old: n1, new: brick("n1", "/data/glusterfs/brick2/brick/gv0"))
        }
    }

    @Test func onlineOldWithNothingPendingIsAllowed() throws {
        let plan = try plan(status: "volume-status-started", heal: "heal-info-summary-clean")
        #expect(plan.phase == .replace)
        #expect(plan.notes.isEmpty)
    }

    @Test func onlineOldWithUnknownHealsIsRefused() {
        #expect(throws: BrickReplacementRefusal.healUnknown("gv0")) {
            try plan(status: "volume-status-started", heal: nil)
        }
    }

    @Test func splitBrainIsRefusedEvenWithForce() {
        #expect {
            try plan(status: "volume-status-started", heal: "heal-info-summary-split-brain", force: true)
        } throws: { error in
            guard case .splitBrain(let bricks) = error as? BrickReplacementRefusal else { return false }
            return bricks.map(\.count) == [1, 1] && bricks.first?.brick.host == "n1"
        }
    }

    @Test func newOnTheHostOfAnotherCopyIsRefusedUnlessForced() throws {
        let onN1 = brick("n1", "/data/glusterfs/brick2/brick/gv0")
        #expect(throws: BrickReplacementRefusal.newOnHostOfCopy(onN1, copy: brick("n1", "\(root)/gv0"))) {
            try plan(new: onN1)
        }
        #expect(!BrickReplacementRefusal.newOnHostOfCopy(onN1, copy: onN1).description.contains("--force"))
        let forced = try plan(new: onN1, force: true)
        #expect(forced.notes.contains(.forced(.newOnHostOfCopy(onN1, copy: brick("n1", "\(root)/gv0")))))
    }

    @Test func newAlreadyInAVolumeIsRefused() throws {
        // gva's brick on n3 is not free, even with --force.
        let all = try volumes("volume-info-all")
        let taken = brick("n3", "\(root)/gva")
        #expect(throws: BrickReplacementRefusal.newAlreadyInVolume(taken, volume: "gva")) {
            try plan(new: taken, all: all, force: true)
        }
    }

    @Test func newDirectoryThatHoldsDataOrWasABrickIsRefused() {
        #expect(
            throws: BrickReplacementRefusal.newNotEmpty(brick("n3", "/data/glusterfs/brick2/brick/gv0"), entries: 4)
        ) {
            try plan(directory: .notEmpty(entries: 4), force: true)
        }
        #expect(throws: BrickReplacementRefusal.newFormerBrick(brick("n3", "/data/glusterfs/brick2/brick/gv0"))) {
            try plan(directory: .formerBrick, force: true)
        }
    }

    @Test func newOnTheRootFilesystemNeedsForce() throws {
        #expect(throws: BrickReplacementRefusal.newOnRootFilesystem(brick("n3", "/data/glusterfs/brick2/brick/gv0"))) {
            try plan(directory: .usable(onBrickDisk: false))
        }
        #expect(try plan(directory: .usable(onBrickDisk: false), force: true).phase == .replace)
    }

    @Test func newHostOutsideThePoolIsRefused() {
        #expect(throws: BrickReplacementRefusal.newHostNotInPool("n9", pool: ["n1", "n2", "n3"])) {
            try plan(new: brick("n9", "/data/glusterfs/brick1/brick/gv0"))
        }
    }

    @Test func replacingTheOnlyOnlineCopyIsRefused() {
        // gva's set with only the arbiter (n3) online: n1's data brick has no data copy left beside it.
        #expect {
            try BrickReplacement.plan(
                name: "gva", volume: try volume("volume-info-all", "gva"),
                status: try status("volume-status-arbiter-only"),
                heal: nil, allVolumes: [], poolHosts: nil, old: brick("n1", "\(root)/gva"),
                new: brick("n1", "/data/glusterfs/brick2/brick/gva"), newDirectory: .unchecked)
        } throws: { error in
            if case .lastGoodCopy = error as? BrickReplacementRefusal { return true }
            return false
        }
    }

    @Test func aDistributeVolumeIsRefused() {
        #expect(throws: BrickReplacementRefusal.notReplicated("gq1")) {
            try BrickReplacement.plan(
                name: "gq1", volume: try volume("volume-info-distribute", "gq1").started(), status: nil, heal: nil,
                allVolumes: [], poolHosts: nil, old: brick("n1", "/x"), new: brick("n2", "/y"), newDirectory: .unchecked
            )
        }
    }

    @Test func aSecondRunResumesAtTheHealOrDoesNothing() throws {
        // After the replace-brick: the volume lists NEW where OLD was.
        var info = try volume("volume-info-started")
        let old = info.bricks[2].address
        let new = brick("n3", "/data/glusterfs/brick2/brick/gv0")
        info.bricks[2].address = new
        func second(_ healFixture: String) throws -> BrickReplacement {
            var heal = try heal(healFixture)
            for i in heal.bricks.indices where heal.bricks[i].address == old { heal.bricks[i].address = new }
            return try BrickReplacement.plan(
                name: "gv0", volume: info, status: try status("volume-status-started"), heal: heal,
                allVolumes: [info], poolHosts: ["n1", "n2", "n3"], old: old, new: new,
                newDirectory: .notEmpty(entries: 9))
        }
        #expect(try second("heal-info-summary-brick-offline").phase == .heal)
        #expect(try second("heal-info-summary-clean").phase == .done)
    }

    @Test func healProgressNamesEveryBrickOfTheSet() throws {
        let set = try volume("volume-info-started").bricks.map(\.address)
        let pending = HealProgress(heal: try heal("heal-info-summary-brick-offline"), set: set)
        #expect(pending.total == 18)
        #expect(pending.unreachable == [set[2]])
        #expect(!pending.isComplete)
        #expect(pending.line == "n1:\(root)/gv0 9  n2:\(root)/gv0 9  n3:\(root)/gv0 ?")
        #expect(HealProgress(heal: try heal("heal-info-summary-clean"), set: set).isComplete)
    }

    @Test func manifestsThatDifferAreNamed() {
        let a = brick("n1", "/b")
        let b = brick("n2", "/b")
        let c = brick("n3", "/b")
        let same = ["/x": "11", "/d/y": "22"]
        #expect(
            ReplicaManifest.differences([
                ReplicaManifest(brick: a, files: 2, directories: 1, sample: same),
                ReplicaManifest(brick: b, files: 2, directories: 1, sample: same),
            ]).isEmpty)
        let found = ReplicaManifest.differences([
            ReplicaManifest(brick: a, files: 2, directories: 1, sample: same),
            ReplicaManifest(brick: c, files: 1, directories: 1, sample: ["/x": "11"]),
        ])
        #expect(
            found == [
                .counts(a, files: 2, directories: 1, c, otherFiles: 1, otherDirectories: 1),
                .content(path: "/d/y", a, c),
            ])
        #expect(ReplicaManifest.samplePaths((0..<10).map { "/f\($0)" }, size: 3) == ["/f0", "/f3", "/f6"])
    }
}

extension VolumeInfo {
    func started() -> VolumeInfo {
        var copy = self
        copy.status = .started
        return copy
    }
}

/// The copies' comparison while the site writes: files modified after the check began are left
/// out on every copy, the stable ones must still agree.
@Suite(.offCooperativePool) struct ReplicaManifestUnderWritesTests {
    let a = BrickAddress(host: "n2", path: "/b/gv")
    let b = BrickAddress(host: "n4", path: "/b/gv")

    @Test func filesWrittenDuringTheCheckAreLeftOut() {
        // n2 was read first: /up/2 did not exist yet, /up/1 was old; n4 saw both as new.
        let first = ReplicaManifest(
            brick: a, files: 3, directories: 2, sample: ["/x": "11", "/y": "22", "/up/1": "aa"],
            paths: ["/x", "/y", "/up/1"], changed: [])
        let second = ReplicaManifest(
            brick: b, files: 2, directories: 2, sample: ["/x": "11", "/y": "22"], paths: ["/x", "/y"],
            changed: ["/up/1", "/up/2"])
        #expect(ReplicaManifest.differences([first, second]).isEmpty)
    }

    @Test func aStableFileMissingOrDifferentStillCounts() {
        let first = ReplicaManifest(
            brick: a, files: 3, directories: 2, sample: ["/x": "11", "/y": "22"], paths: ["/x", "/y", "/z"],
            changed: ["/up/1"])
        let missing = ReplicaManifest(
            brick: b, files: 2, directories: 2, sample: ["/x": "11", "/y": "99"], paths: ["/x", "/y"], changed: [])
        let found = ReplicaManifest.differences([first, missing])
        #expect(found.count == 2, "\(found)")
        #expect(found.contains(.content(path: "/y", a, b)))
        #expect(found.contains(.counts(a, files: 3, directories: 2, b, otherFiles: 2, otherDirectories: 2)))
    }
}
