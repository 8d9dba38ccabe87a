/// The rule for Docker volume names this plugin accepts: the name becomes a directory name.
///
/// Docker's own local driver rule (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`), at most 255 bytes: so no `/`,
/// no `.` or `..`, no NUL or control characters, never empty.
public enum VolumeName {
    public static let maxBytes = 255

    /// - Throws: `PluginError` of code `bad-name` saying what is wrong.
    public static func validate(_ name: String) throws(PluginError) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty else {
            throw PluginError(.badName, "the volume name is empty: give the volume a name")
        }
        guard bytes.count <= maxBytes else {
            throw PluginError(.badName, "the volume name is \(bytes.count) bytes long: at most \(maxBytes) are allowed")
        }
        func allowed(_ byte: UInt8, first: Bool) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"): !first
            default: false
            }
        }
        for (index, byte) in bytes.enumerated() where !allowed(byte, first: index == 0) {
            let shown =
                byte == 0
                ? "NUL"
                : byte == UInt8(ascii: "/")
                    ? "/" : byte < 0x20 ? "a control character" : "\"\(Character(Unicode.Scalar(byte)))\""
            throw PluginError(
                .badName,
                "the volume name \(printable(name)) contains \(shown) at byte \(index): use letters, digits, '_', '.', '-', starting with a letter or digit"
            )
        }
    }

    /// The name quoted, with control characters escaped (for messages).
    static func printable(_ name: String) -> String {
        "\""
            + name.unicodeScalars.map {
                $0.value < 0x20 || $0.value == 0x7f ? "\\u{\(String($0.value, radix: 16))}" : String($0)
            }.joined() + "\""
    }
}
