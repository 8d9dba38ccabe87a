import BrickctlTestSupport
import Testing

@testable import Fstab

@Suite(.offCooperativePool) struct FstabFieldTests {
    func decode(_ raw: String) -> String { FstabField.decode(Array(raw.utf8)[...]) }

    @Test func decodesOctalEscapes() {
        #expect(decode(#"/srv/a\040b"#) == "/srv/a b")
        #expect(decode(#"a\011b"#) == "a\tb")
        #expect(decode(#"a\134b"#) == #"a\b"#)
        #expect(decode(#"\303\251"#) == "é", "escaped UTF-8 bytes decode to the character")
    }

    @Test func keepsBackslashesThatAreNotEscapes() {
        #expect(decode(#"a\b"#) == #"a\b"#)
        #expect(decode(#"a\04"#) == #"a\04"#)
        #expect(decode(#"a\089"#) == #"a\089"#)
        #expect(decode("a\\") == "a\\")
    }

    @Test func encodeThenDecodeIsIdentity() {
        for value in ["plain", "a b", "tab\there", "back\\slash", "#lead", "mid#dle", "cr\rlf\n", "ü ñ 日本", "\\040"] {
            let encoded = FstabField.encode(value)
            #expect(!encoded.utf8.contains(where: { [0x20, 0x09, 0x0A, 0x0D].contains($0) }))
            #expect(decode(encoded).utf8.elementsEqual(value.utf8), "\(value)")
        }
    }
}
