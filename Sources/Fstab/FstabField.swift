/// The escaping fstab(5) uses inside a field: `\040` for a space, `\011` for a tab, `\134` for a backslash.
///
/// libmount decodes any backslash followed by three octal digits (`unmangle`) and encodes space, tab,
/// newline and backslash (`mangle`); brickctl does the same, and also encodes a carriage return and a
/// leading `#` so that a field it writes can never end a line early or turn it into a comment.
enum FstabField {
    /// Decodes every `\ooo` octal escape in a field's bytes; other backslashes are kept as they are.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.endIndex,
                bytes[(i + 1)...(i + 3)].allSatisfy(isOctalDigit)
            {
                let value = bytes[(i + 1)...(i + 3)].reduce(0) { ($0 << 3) | Int($1 - UInt8(ascii: "0")) }
                out.append(UInt8(truncatingIfNeeded: value))
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes `value` so that it reads back as one field with the same contents.
    static func encode(_ value: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for (index, scalar) in value.unicodeScalars.enumerated() {
            switch scalar {
            case " ", "\t", "\n", "\r", "\\":
                out += octal(scalar)
            case "#" where index == 0:
                out += octal(scalar)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isOctalDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7")
    }

    private static func octal(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 8)
        return "\\" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
