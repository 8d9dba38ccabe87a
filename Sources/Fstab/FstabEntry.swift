/// One mount in /etc/fstab: what to mount, where, as which filesystem, with which options.
///
/// Fields hold decoded text: a mount point written `/srv/my\040brick` in the file is `/srv/my brick`
/// here. Two entries are equal when their fields are equal byte for byte (paths are bytes to the
/// kernel, so a precomposed and a decomposed `é` are different mount points).
public struct FstabEntry: Sendable, CustomStringConvertible {
    /// What to mount: `UUID=…`, `LABEL=…`, `PARTUUID=…`, `PARTLABEL=…`, a device path, or a remote
    /// source such as `server:/volume`.
    public var spec: String
    /// Where to mount it.
    public var mountPoint: String
    /// The filesystem type, e.g. `xfs`.
    public var type: String
    /// The mount options, split at commas; empty when the line had no options field.
    public var options: [String]
    /// The fifth field, for dump(8); 0 when absent.
    public var dump: Int
    /// The sixth field, the fsck order; 0 when absent.
    public var pass: Int

    public init(
        spec: String, mountPoint: String, type: String, options: [String] = ["defaults"],
        dump: Int = 0, pass: Int = 0
    ) {
        self.spec = spec
        self.mountPoint = mountPoint
        self.type = type
        self.options = options
        self.dump = dump
        self.pass = pass
    }

    /// The options field as written: the options joined with commas, `defaults` when there are none.
    public var optionsField: String {
        options.isEmpty ? "defaults" : options.joined(separator: ",")
    }

    /// Whether `option` (e.g. `nofail`, or `x-systemd.requires=…` matched in full) is among the options.
    public func hasOption(_ option: String) -> Bool {
        options.contains { $0.utf8.elementsEqual(option.utf8) }
    }

    /// Whether this entry mounts at `path`, comparing normalized paths byte for byte.
    public func mounts(at path: String) -> Bool {
        FstabEntry.normalizedMountPoint(mountPoint).utf8.elementsEqual(FstabEntry.normalizedMountPoint(path).utf8)
    }

    /// `path` with repeated slashes collapsed and a trailing slash dropped (`/srv//b1/` is `/srv/b1`).
    public static func normalizedMountPoint(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: "/")) else { return path }
        let absolute = path.utf8.first == UInt8(ascii: "/")
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        let joined = parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// The entry as one fstab line (without line ending): escaped fields joined by `separator`.
    public func line(separator: String = "\t") -> String {
        [
            FstabField.encode(spec), FstabField.encode(mountPoint), FstabField.encode(type),
            FstabField.encode(optionsField), String(dump), String(pass),
        ].joined(separator: separator)
    }

    /// Why this entry cannot be written so that it reads back the same, or nil when it can.
    ///
    /// An empty spec, mount point or type would leave a gap that shifts every later field; an option
    /// that is empty or holds a comma would read back as a different list.
    public var writingProblem: String? {
        var empty: [String] = []
        if spec.isEmpty { empty.append("source") }
        if mountPoint.isEmpty { empty.append("mount point") }
        if type.isEmpty { empty.append("filesystem type") }
        if !empty.isEmpty {
            return "its \(empty.joined(separator: " and ")) \(empty.count == 1 ? "is" : "are") empty"
        }
        if options.contains(where: { $0.isEmpty || $0.utf8.contains(UInt8(ascii: ",")) }) {
            return "an option is empty or contains a comma (options: \(options))"
        }
        return nil
    }

    public var description: String { line(separator: " ") }
}

extension FstabEntry: Hashable {
    public static func == (lhs: FstabEntry, rhs: FstabEntry) -> Bool {
        lhs.spec.utf8.elementsEqual(rhs.spec.utf8)
            && lhs.mountPoint.utf8.elementsEqual(rhs.mountPoint.utf8)
            && lhs.type.utf8.elementsEqual(rhs.type.utf8)
            && lhs.options.count == rhs.options.count
            && zip(lhs.options, rhs.options).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
            && lhs.dump == rhs.dump && lhs.pass == rhs.pass
    }

    public func hash(into hasher: inout Hasher) {
        for field in [spec, mountPoint, type] + options {
            hasher.combine(Array(field.utf8))
        }
        hasher.combine(dump)
        hasher.combine(pass)
    }
}

extension FstabEntry {
    /// Reads an entry from one line's bytes (without its `\n`), or nil when the line is not an entry.
    ///
    /// Follows libmount's reading of fstab(5): fields are separated by spaces and tabs; at least
    /// spec, mount point and type must be present; dump and pass default to 0 and must be integers
    /// when present; a `#` may start a comment only after the sixth field (libmount rejects
    /// `… defaults # note`); anything after the sixth field is ignored. A line starting with `#`
    /// (after blanks) is a comment, not an entry.
    init?(lineBytes line: ArraySlice<UInt8>) {
        let firstNonBlank = line.firstIndex { !FstabEntry.isBlank($0) }
        guard let firstNonBlank, line[firstNonBlank] != UInt8(ascii: "#") else { return nil }
        var fields: [ArraySlice<UInt8>] = []
        var i = firstNonBlank
        while i < line.endIndex, fields.count < 6 {
            while i < line.endIndex, FstabEntry.isBlank(line[i]) { i += 1 }
            guard i < line.endIndex else { break }
            let start = i
            while i < line.endIndex, !FstabEntry.isBlank(line[i]) { i += 1 }
            fields.append(line[start..<i])
        }
        guard fields.count >= 3 else { return nil }
        if fields.contains(where: { $0.first == UInt8(ascii: "#") }) { return nil }
        var numbers: [Int] = []
        for field in fields.dropFirst(4) {
            guard let number = Int(String(decoding: field, as: UTF8.self)) else { return nil }
            numbers.append(number)
        }
        let options = fields.count > 3 ? FstabField.decode(fields[3]) : ""
        self.init(
            spec: FstabField.decode(fields[0]),
            mountPoint: FstabField.decode(fields[1]),
            type: FstabField.decode(fields[2]),
            options: options.isEmpty ? [] : FstabEntry.splitOptions(options),
            dump: numbers.first ?? 0,
            pass: numbers.count > 1 ? numbers[1] : 0
        )
    }

    /// `options` split at every comma, byte-wise (a comma followed by a combining mark still splits).
    static func splitOptions(_ options: String) -> [String] {
        options.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// Space, tab and carriage return separate fields (a CRLF line's `\r` is trailing blank space).
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
