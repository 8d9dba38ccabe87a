/// A file the stack hands to its services as a Swarm config. A Swarm config cannot change (new
/// content, new name), so its name carries a digest of the text.
public protocol SwarmConfigText {
    var text: String { get }
}

extension SwarmConfigText {
    /// A short, stable digest of the text (FNV-1a, 64 bits, hex): part of the Swarm config's name.
    public var digest: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
