import BrickctlTestSupport
import Testing

@testable import Fstab

/// Byte-wise comparison, because String's == treats canonically equivalent text as equal.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func bytes(_ file: FstabFile) -> [UInt8] { Array(file.text.utf8) }

let brick = FstabEntry(
    spec: "UUID=77ca2c2e-1f6d-4b8a-9d1e-2a1b3c4d5e6f", mountPoint: "/srv/bricks/b1", type: "xfs",
    options: ["defaults", "noatime", "nofail"])

@Suite(.offCooperativePool) struct FstabFileTests {
    static let sample = """
        # /etc/fstab: static file system information.\r
        #
        # <file system> <mount point>   <type>  <options>       <dump>  <pass>
        UUID=1a2b3c4d-0000-4000-8000-000000000001 /               ext4    errors=remount-ro 0       1
        \tLABEL=data\t/srv/my\\040data xfs   defaults,nofail\t0 2  \t
        /dev/vdb1 /srv/tab\\011and\\134slash xfs defaults 0 0 # inline note
        this line is not an entry
        /dev/vdc1 /mnt/only
        /dev/vdd1 /mnt/x xfs defaults 1x 0
        tmpfs /tmp tmpfs

           \t
        server:/gv0 /mnt/gluster glusterfs defaults,_netdev 0 0\r
        /dev/vde1 /mnt/ünïcödé xfs defaults 0 0
        """

    @Test("a realistic file with every oddity reads back byte-identical", arguments: ["", "\n", "\n\n"])
    func roundTrip(ending: String) {
        let text = Self.sample + ending
        #expect(bytes(FstabFile(parsing: text)) == bytes(text))
    }

    @Test func emptyAndNewlineOnlyFilesRoundTrip() {
        for text in ["", "\n", "\n\n", "\r\n", "\r", " ", "\t\n", "#", "a"] {
            #expect(bytes(FstabFile(parsing: text)) == bytes(text), "\(Array(text.utf8))")
        }
        #expect(FstabFile(parsing: "").lines.isEmpty)
        #expect(FstabFile(parsing: "\n").lines.count == 1)
    }

    @Test func linesAreClassifiedLikeLibmountReadsThem() {
        let file = FstabFile(parsing: Self.sample)
        let mountPoints = file.entries.map(\.mountPoint)
        #expect(
            mountPoints == [
                "/", "/srv/my data", "/srv/tab\tand\\slash", "/tmp", "/mnt/gluster", "/mnt/ünïcödé",
            ])
        let others = file.lines.filter { $0.entry == nil }.map(\.text)
        #expect(others.contains("this line is not an entry"))
        #expect(others.contains("/dev/vdc1 /mnt/only"))
        #expect(others.contains("/dev/vdd1 /mnt/x xfs defaults 1x 0"))
        #expect(others.contains("# /etc/fstab: static file system information.\r"))
    }

    @Test func entryFieldsAreDecoded() throws {
        let file = FstabFile(parsing: Self.sample)
        let data = try #require(file.entry(forMountPoint: "/srv/my data"))
        #expect(data.spec == "LABEL=data")
        #expect(data.type == "xfs")
        #expect(data.options == ["defaults", "nofail"])
        #expect(data.dump == 0)
        #expect(data.pass == 2)
        let tmp = try #require(file.entry(forMountPoint: "/tmp"))
        #expect(tmp.options == [])
        #expect(tmp.dump == 0 && tmp.pass == 0)
        let gluster = try #require(file.entry(forMountPoint: "/mnt/gluster"))
        #expect(gluster.pass == 0, "the CRLF line's \\r is not part of the pass field")
        #expect(gluster.options == ["defaults", "_netdev"])
    }

    @Test func inlineCommentIsAllowedOnlyAfterTheSixthField() {
        #expect(FstabLine(parsing: "/dev/a /a xfs defaults 0 2 # note").entry?.pass == 2)
        #expect(FstabLine(parsing: "/dev/a /a xfs defaults # note").entry == nil)
        #expect(FstabLine(parsing: "/dev/a /a xfs # note").entry == nil)
        #expect(FstabLine(parsing: "  # /dev/a /a xfs defaults 0 0").entry == nil)
        #expect(FstabLine(parsing: "/dev/a /a xfs defaults 0 0 extra words").entry?.mountPoint == "/a")
    }

    @Test func entryForMountPointNormalizesSlashes() {
        let file = FstabFile(parsing: "/dev/a /srv//b1/ xfs defaults 0 0\n")
        #expect(file.entry(forMountPoint: "/srv/b1")?.spec == "/dev/a")
        #expect(file.entry(forMountPoint: "/srv/b1/")?.spec == "/dev/a")
        #expect(file.entry(forMountPoint: "/srv/b") == nil)
    }

    // MARK: adding

    @Test func addingAppendsARenderedLineAndKeepsEveryOtherByte() {
        let text = "# head\n/dev/a\t/a\txfs\tdefaults\t0\t0\n"
        let file = FstabFile(parsing: text).adding(brick)
        #expect(
            bytes(file)
                == bytes(
                    text
                        + "UUID=77ca2c2e-1f6d-4b8a-9d1e-2a1b3c4d5e6f\t/srv/bricks/b1\txfs\tdefaults,noatime,nofail\t0\t0\n"
                ))
    }

    @Test func addingToAFileWithoutFinalNewlineTerminatesTheLastLineFirst() {
        let file = FstabFile(parsing: "# no newline at end").adding(brick)
        #expect(file.text.hasPrefix("# no newline at end\nUUID="))
        #expect(!file.text.hasSuffix("\n"), "the file's convention (no final newline) is kept")
        #expect(FstabFile(parsing: file.text).entries == [brick])
        #expect(bytes(file.removing(mountPoint: brick.mountPoint)) == bytes("# no newline at end"))
    }

    @Test func addingToAnEmptyFileEndsWithNewline() {
        #expect(bytes(FstabFile().adding(brick)) == bytes(brick.line() + "\n"))
        #expect(bytes(FstabFile(parsing: "").adding(brick)) == bytes(brick.line() + "\n"))
    }

    @Test func newLinesFollowTheFilesSeparatorAndLineEnding() {
        let spaced = FstabFile(
            parsing: "/dev/a /a xfs defaults 0 0\n/dev/b  /b xfs defaults 0 0\n/dev/c\t/c xfs defaults 0 0\n")
        #expect(spaced.adding(brick).lines.last?.text == brick.line(separator: " "))
        let tabbed = FstabFile(parsing: "/dev/a\t/a xfs defaults 0 0\n")
        #expect(tabbed.adding(brick).lines.last?.text == brick.line(separator: "\t"))
        let crlf = FstabFile(parsing: "# c\r\n/dev/a\t/a\txfs\tdefaults\t0\t0\r\n")
        let added = crlf.adding(brick)
        #expect(bytes(added) == bytes("# c\r\n/dev/a\t/a\txfs\tdefaults\t0\t0\r\n" + brick.line() + "\r\n"))
        #expect(FstabFile(parsing: added.text).entries.last == brick)
    }

    @Test func freshLinesEscapeBlanksAndBackslashes() throws {
        let odd = FstabEntry(spec: "LABEL=my disk", mountPoint: "/srv/a b\tc\\d", type: "xfs")
        let file = FstabFile().adding(odd)
        #expect(file.text == "LABEL=my\\040disk\t/srv/a\\040b\\011c\\134d\txfs\tdefaults\t0\t0\n")
        #expect(FstabFile(parsing: file.text).entries == [odd])
    }

    @Test func addLineKeepsTheTextVerbatim() {
        var file = FstabFile(parsing: "/dev/a /a xfs defaults 0 0\n")
        file.addLine("# brickctl: brick b1")
        file.addLine("/dev/b /b xfs defaults 0 0")
        #expect(bytes(file) == bytes("/dev/a /a xfs defaults 0 0\n# brickctl: brick b1\n/dev/b /b xfs defaults 0 0\n"))
        #expect(file.entries.count == 2)
    }

    // MARK: replacing, upserting

    @Test func replacingRewritesTheLineInPlace() {
        let text = "# one\r\n/dev/old  /srv/bricks/b1   xfs defaults 0 0\r\n# three  \r\n/dev/z /z xfs defaults 0 0"
        let file = FstabFile(parsing: text)
        let replaced = file.replacing(mountPoint: "/srv/bricks/b1/", with: brick)
        #expect(
            bytes(replaced)
                == bytes("# one\r\n" + brick.line(separator: " ") + "\r\n# three  \r\n/dev/z /z xfs defaults 0 0"))
        #expect(replaced.entry(forMountPoint: "/srv/bricks/b1") == brick)
    }

    @Test func replacingAMissingMountPointChangesNothing() {
        var file = FstabFile(parsing: "/dev/a /a xfs defaults 0 0\n")
        #expect(file.replace(mountPoint: "/nope", with: brick) == false)
        #expect(bytes(file) == bytes("/dev/a /a xfs defaults 0 0\n"))
    }

    @Test func replacingWithAnEqualEntryKeepsTheOriginalText() {
        let text = "UUID=77ca2c2e-1f6d-4b8a-9d1e-2a1b3c4d5e6f   /srv/bricks/b1  xfs  defaults,noatime,nofail  0  0   \n"
        let file = FstabFile(parsing: text)
        #expect(bytes(file.replacing(mountPoint: brick.mountPoint, with: brick)) == bytes(text))
        #expect(bytes(file.upserting(brick)) == bytes(text))
    }

    @Test func replacingLeavesExactlyOneEntryForTheMountPoint() {
        let text =
            "/dev/a /srv/bricks/b1 xfs defaults 0 0\n# keep\n/dev/b /srv/bricks/b1/ xfs defaults 0 0\n/dev/c /c xfs defaults 0 0\n"
        let file = FstabFile(parsing: text).upserting(brick)
        #expect(bytes(file) == bytes(brick.line(separator: " ") + "\n# keep\n/dev/c /c xfs defaults 0 0\n"))
    }

    @Test func upsertingAppendsWhenTheMountPointIsNew() {
        let text = "/dev/a /a xfs defaults 0 0\n"
        #expect(bytes(FstabFile(parsing: text).upserting(brick)) == bytes(text + brick.line(separator: " ") + "\n"))
    }

    // MARK: removing

    @Test func removingDropsOnlyTheMatchingLines() {
        let text =
            "# a\n/dev/a /a xfs defaults 0 0\n\n/dev/b\t/b\txfs defaults 0 0 # b\n/dev/a2 /a/ xfs defaults 0 0\n# z"
        let file = FstabFile(parsing: text)
        var removed = file
        #expect(removed.remove(mountPoint: "/a") == 2)
        #expect(bytes(removed) == bytes("# a\n\n/dev/b\t/b\txfs defaults 0 0 # b\n# z"))
        #expect(bytes(file.removing { $0.type == "xfs" }) == bytes("# a\n\n# z"))
        #expect(bytes(file.removing(mountPoint: "/absent")) == bytes(text))
    }

    @Test func removingTheLastLineOfAnUnterminatedFile() {
        let file = FstabFile(parsing: "# a\n/dev/b /b xfs defaults 0 0")
        #expect(bytes(file.removing(mountPoint: "/b")) == bytes("# a"))
    }

    // MARK: checking what an edit would write

    @Test func unwritableEntriesAreFound() {
        let parsed = FstabFile(parsing: Self.sample + "\n/dev/a /a xfs defaults,,noatime 0 0\n")
        #expect(parsed.unwritableEntries.isEmpty, "whatever was read is written back as it was")
        let noOptions = FstabEntry(spec: "/dev/a", mountPoint: "/a", type: "xfs", options: [])
        #expect(FstabFile().adding(noOptions).unwritableEntries.isEmpty, "no options are written as defaults")
        let empty = FstabEntry(spec: "/dev/a", mountPoint: "", type: "xfs")
        let problems = FstabFile().adding(empty).unwritableEntries
        #expect(problems.map(\.problem) == ["its mount point is empty"])
    }
}
