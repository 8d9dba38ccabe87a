import BrickctlTestSupport
import Fstab
import Testing

/// Generated fstab files: every one must read back byte-identical, and an edit undone must give back
/// the original bytes.
@Suite(.offCooperativePool) struct FstabFilePropertyTests {
    static let fileCount = 10_000

    @Test("10,000 generated files round-trip byte-identical; every 10th survives upsert+remove unchanged")
    func generatedFilesRoundTrip() {
        var random = SeededGenerator(seed: 0x6272_6963_6B63_746C)
        var roundTripFailures: [String] = []
        var editFailures: [String] = []
        var entriesSeen = 0
        var othersSeen = 0
        for index in 0..<Self.fileCount {
            let text = FstabGenerator.file(using: &random)
            let file = FstabFile(parsing: text)
            entriesSeen += file.entries.count
            othersSeen += file.lines.count - file.entries.count
            if !file.text.utf8.elementsEqual(text.utf8) {
                roundTripFailures.append("file \(index): \(Array(text.utf8))")
                continue
            }
            guard index % 10 == 0 else { continue }
            let fresh = FstabEntry(
                spec: "UUID=fresh-\(index)", mountPoint: "/srv/brickctl property/\(index)", type: "xfs",
                options: ["defaults", "nofail"], pass: 2)
            let upserted = file.upserting(fresh)
            let reread = FstabFile(parsing: upserted.text)
            let restored = upserted.removing(mountPoint: fresh.mountPoint)
            let keptOriginal =
                upserted.text.utf8.starts(with: text.utf8)
                || (text.utf8.last != UInt8(ascii: "\n") && upserted.text.utf8.starts(with: (text + "\n").utf8))
            if reread.entry(forMountPoint: fresh.mountPoint) != fresh || !keptOriginal
                || !restored.text.utf8.elementsEqual(text.utf8)
            {
                editFailures.append("file \(index): \(Array(text.utf8))")
            }
        }
        #expect(roundTripFailures.isEmpty, "\(roundTripFailures.count) failed; first: \(roundTripFailures.first ?? "")")
        #expect(editFailures.isEmpty, "\(editFailures.count) failed; first: \(editFailures.first ?? "")")
        #expect(entriesSeen > 10_000 && othersSeen > 10_000, "the generator makes both entries and other lines")
    }
}

/// Builds random fstab text from the things real files contain, and the things broken ones do.
enum FstabGenerator {
    static let words = [
        "UUID=77ca2c2e-1f6d-4b8a-9d1e-2a1b3c4d5e6f", "LABEL=brick", "PARTUUID=0a1b-02", "/dev/vdb1", "tmpfs",
        "server:/gv0", "/srv/bricks/b1", "/", "none", "swap", "xfs", "ext4", "glusterfs",
        "defaults", "defaults,noatime,nofail", "rw,_netdev", "x-systemd.requires=/dev/vdb",
        #"/srv/my\040brick"#, #"/a\011tab"#, #"back\134slash"#, #"\303\251t\303\251"#, #"odd\04"#, #"trail\"#,
        "ünïcödé", "日本語", "🧱", "👩‍👩‍👧", "cafe\u{301}", "caf\u{E9}", "\u{301}combining", "zero\u{200B}width",
        "#", "#x", "\u{FEFF}", "\0", "\r", "a\rb",
    ]
    static let numbers = ["0", "1", "2", "-1", "9", "x", "1x", "01", "+2"]
    static let blanks = [" ", "\t", "  ", " \t ", "\t\t", "    "]

    static func file<R: RandomNumberGenerator>(using random: inout R) -> String {
        let lineCount = Int.random(in: 0...14, using: &random)
        let crlfMode = Int.random(in: 0..<4, using: &random)  // 0: all CRLF, 1: mixed, else LF
        var text = Bool.random(using: &random) && Int.random(in: 0..<20, using: &random) == 0 ? "\u{FEFF}" : ""
        for index in 0..<lineCount {
            text += line(using: &random)
            let last = index == lineCount - 1
            if last && Int.random(in: 0..<3, using: &random) == 0 { break }  // no final newline
            let crlf = crlfMode == 0 || (crlfMode == 1 && Bool.random(using: &random))
            text += crlf ? "\r\n" : "\n"
        }
        if Int.random(in: 0..<25, using: &random) == 0 { text += "\n\n" }
        return text
    }

    static func line<R: RandomNumberGenerator>(using random: inout R) -> String {
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return "#" + phrase(using: &random)
        case 1: return ""
        case 2: return blank(using: &random)
        case 3: return phrase(using: &random)  // garbage
        default: return entry(using: &random)
        }
    }

    static func entry<R: RandomNumberGenerator>(using random: inout R) -> String {
        let fieldCount = Int.random(in: 2...7, using: &random)
        var fields: [String] = []
        for position in 0..<fieldCount {
            if position >= 4, Int.random(in: 0..<6, using: &random) > 0 {
                fields.append(numbers[Int.random(in: 0..<numbers.count, using: &random)])
            } else {
                fields.append(word(using: &random) + (Bool.random(using: &random) ? "" : word(using: &random)))
            }
        }
        var text = Int.random(in: 0..<4, using: &random) == 0 ? blank(using: &random) : ""
        for (position, field) in fields.enumerated() {
            if position > 0 { text += blank(using: &random) }
            text += field
        }
        if Int.random(in: 0..<5, using: &random) == 0 { text += blank(using: &random) + "# " + phrase(using: &random) }
        if Int.random(in: 0..<5, using: &random) == 0 { text += blank(using: &random) }
        return text
    }

    static func phrase<R: RandomNumberGenerator>(using random: inout R) -> String {
        (0..<Int.random(in: 0...5, using: &random)).map { _ in word(using: &random) }
            .joined(separator: blank(using: &random))
    }

    static func word<R: RandomNumberGenerator>(using random: inout R) -> String {
        words[Int.random(in: 0..<words.count, using: &random)]
    }

    static func blank<R: RandomNumberGenerator>(using random: inout R) -> String {
        blanks[Int.random(in: 0..<blanks.count, using: &random)]
    }
}
