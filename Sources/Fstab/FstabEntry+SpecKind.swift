extension FstabEntry {
    /// How an entry names what it mounts, with the name itself.
    public enum SpecKind: Hashable, Sendable {
        /// `UUID=…`: a filesystem UUID (the usual way brickctl writes bricks).
        case uuid(String)
        /// `LABEL=…`: a filesystem label.
        case label(String)
        /// `PARTUUID=…`: a GPT partition UUID.
        case partUUID(String)
        /// `PARTLABEL=…`: a GPT partition name.
        case partLabel(String)
        /// An absolute path, usually a device node such as `/dev/vdb1`.
        case path(String)
        /// Anything else: a remote source (`server:/volume`), a pseudo filesystem (`tmpfs`, `proc`),
        /// or a tag libmount does not know.
        case other(String)
    }

    /// How `spec` names the source: the tag (matched case-sensitively, as libmount does) and its value
    /// with surrounding double quotes removed.
    public var specKind: SpecKind {
        let tags: [(String, (String) -> SpecKind)] = [
            ("UUID=", SpecKind.uuid), ("LABEL=", SpecKind.label),
            ("PARTUUID=", SpecKind.partUUID), ("PARTLABEL=", SpecKind.partLabel),
        ]
        for (tag, kind) in tags where spec.utf8.starts(with: tag.utf8) {
            return kind(Self.unquoted(spec.utf8.dropFirst(tag.utf8.count)))
        }
        if spec.utf8.first == UInt8(ascii: "/") { return .path(spec) }
        return .other(spec)
    }

    private static func unquoted(_ value: Substring.UTF8View) -> String {
        let quote = UInt8(ascii: "\"")
        if value.count >= 2, value.first == quote, value.last == quote {
            return String(decoding: value.dropFirst().dropLast(), as: UTF8.self)
        }
        return String(decoding: value, as: UTF8.self)
    }
}
