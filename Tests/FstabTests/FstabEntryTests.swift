import BrickctlTestSupport
import Fstab
import Testing

@Suite(.offCooperativePool) struct FstabEntryTests {
    func entry(spec: String) -> FstabEntry {
        FstabEntry(spec: spec, mountPoint: "/m", type: "xfs")
    }

    @Test func specKindNamesTheTagAndValue() {
        #expect(entry(spec: "UUID=77ca2c2e").specKind == .uuid("77ca2c2e"))
        #expect(entry(spec: "UUID=\"77ca2c2e\"").specKind == .uuid("77ca2c2e"))
        #expect(entry(spec: "LABEL=brick1").specKind == .label("brick1"))
        #expect(entry(spec: "PARTUUID=0a1b-02").specKind == .partUUID("0a1b-02"))
        #expect(entry(spec: "PARTLABEL=gluster data").specKind == .partLabel("gluster data"))
        #expect(entry(spec: "/dev/vdb1").specKind == .path("/dev/vdb1"))
        #expect(entry(spec: "/dev/disk/by-uuid/77ca").specKind == .path("/dev/disk/by-uuid/77ca"))
        #expect(entry(spec: "server:/gv0").specKind == .other("server:/gv0"))
        #expect(entry(spec: "tmpfs").specKind == .other("tmpfs"))
        #expect(entry(spec: "uuid=77ca").specKind == .other("uuid=77ca"), "tags are case-sensitive, as in libmount")
    }

    @Test func specKindOfAParsedEscapedLabel() {
        let parsed = FstabLine(parsing: "LABEL=my\\040disk /m xfs defaults 0 0").entry
        #expect(parsed?.specKind == .label("my disk"))
    }

    @Test func lineRendersAllSixFields() {
        let entry = FstabEntry(
            spec: "/dev/vdb1", mountPoint: "/srv/b", type: "xfs", options: ["noatime"], dump: 1, pass: 2)
        #expect(entry.line() == "/dev/vdb1\t/srv/b\txfs\tnoatime\t1\t2")
        #expect(entry.line(separator: " ") == "/dev/vdb1 /srv/b xfs noatime 1 2")
        #expect(
            FstabEntry(spec: "/d", mountPoint: "/m", type: "xfs", options: []).line() == "/d\t/m\txfs\tdefaults\t0\t0")
    }

    @Test func aLeadingHashIsEscapedSoTheLineIsNotAComment() {
        let entry = FstabEntry(spec: "#weird", mountPoint: "/m#1", type: "xfs")
        #expect(entry.line() == "\\043weird\t/m#1\txfs\tdefaults\t0\t0")
        #expect(FstabLine(parsing: entry.line()).entry == entry)
    }

    @Test func equalityIsByteWise() {
        let precomposed = FstabEntry(spec: "/d", mountPoint: "/srv/caf\u{E9}", type: "xfs")
        let decomposed = FstabEntry(spec: "/d", mountPoint: "/srv/cafe\u{301}", type: "xfs")
        #expect(precomposed.mountPoint == decomposed.mountPoint, "Swift strings call these equal…")
        #expect(precomposed != decomposed, "…but they are different paths to the kernel")
        #expect(!precomposed.mounts(at: decomposed.mountPoint))
        #expect(Set([precomposed, decomposed]).count == 2)
    }

    @Test func normalizedMountPoint() {
        #expect(FstabEntry.normalizedMountPoint("/srv//bricks/b1/") == "/srv/bricks/b1")
        #expect(FstabEntry.normalizedMountPoint("/") == "/")
        #expect(FstabEntry.normalizedMountPoint("//") == "/")
        #expect(FstabEntry.normalizedMountPoint("none") == "none")
        #expect(FstabEntry.normalizedMountPoint("swap") == "swap")
    }

    @Test func writingProblemNamesTheEmptyFields() {
        #expect(
            FstabEntry(spec: "", mountPoint: "", type: "xfs").writingProblem == "its source and mount point are empty")
        #expect(FstabEntry(spec: "/d", mountPoint: "/m", type: "xfs", options: ["a,b"]).writingProblem != nil)
        #expect(FstabEntry(spec: "/d", mountPoint: "/m", type: "xfs").writingProblem == nil)
    }

    @Test func optionsHelpers() {
        #expect(brick.hasOption("nofail"))
        #expect(!brick.hasOption("nofai"))
        #expect(brick.optionsField == "defaults,noatime,nofail")
    }
}
