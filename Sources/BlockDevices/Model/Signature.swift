public import HostIO

/// What libblkid's low-level superblock probe found on a device (or at an offset inside it).
public struct Signature: Hashable, Sendable, Codable {
    /// libblkid's TYPE: `xfs`, `ext4`, `swap`, `LVM2_member`, `crypto_LUKS`, ...
    public var type: String
    /// libblkid's USAGE: `filesystem`, `raid`, `crypto` or `other`.
    public var usage: String
    @NullWhenAbsent public var uuid: String? = nil
    @NullWhenAbsent public var label: String? = nil
    /// Byte offset inside the device where the probe started (0 for the device itself).
    public var offset: UInt64 = 0

    /// "an xfs filesystem (UUID 77ca…, label brick1)" — the words an operator reads.
    public var phrase: String { phrase(qualifier: nil) }

    /// The phrase with an adjective after the article: "an old xfs filesystem (UUID …)".
    public func phrase(qualifier: String?) -> String {
        var details: [String] = []
        if let uuid { details.append("UUID \(uuid)") }
        if let label { details.append("label \(label)") }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        let noun: String
        switch (type, usage) {
        case ("swap", _): noun = "swap signature"
        case ("LVM2_member", _): noun = "LVM2 physical volume"
        case ("linux_raid_member", _): noun = "Linux RAID member"
        case (_, "filesystem"): noun = "\(type) filesystem"
        case (_, "crypto"): noun = "\(type) encrypted volume"
        case (_, "raid"): noun = "\(type) RAID/volume-manager member"
        default: noun = "\(type) signature"
        }
        let words = [qualifier, noun].compactMap { $0 }.joined(separator: " ")
        return "\(article(words)) \(words)\(suffix)"
    }
}

private func article(_ words: String) -> String {
    guard let first = words.first else { return "a" }
    let firstWord = words.prefix { $0 != " " }
    // Acronyms are read letter by letter: "an LVM2 ...", "an NTFS ...".
    if firstWord.count > 1, firstWord.allSatisfy({ $0.isUppercase || $0.isNumber }) {
        return "AEFHILMNORSX".contains(first) ? "an" : "a"
    }
    return "aeiouxAEIOU".contains(first) ? "an" : "a"
}
