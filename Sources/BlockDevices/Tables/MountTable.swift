/// The kernel's table of mounts (`/proc/self/mountinfo`), parsed.
public struct MountTable: Sendable, Hashable {
    public struct Mount: Sendable, Hashable {
        public var device: DeviceNumber
        /// The mount point, with mountinfo's octal escapes (`\040`) decoded.
        public var mountPoint: String
        public var fsType: String
        /// The source as the kernel shows it (`/dev/vda`, `server:/gv0`).
        public var source: String
        public var options: String
    }

    public var mounts: [Mount]

    /// Parses mountinfo text; lines that do not parse are skipped.
    public init(mountinfo text: String) {
        mounts = text.split(separator: "\n").compactMap { line in
            // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count >= 10, let device = DeviceNumber(fields[2]),
                let dash = fields.firstIndex(of: "-"), dash + 2 < fields.count
            else { return nil }
            return Mount(
                device: device, mountPoint: decodeOctalEscapes(fields[4]), fsType: String(fields[dash + 1]),
                source: decodeOctalEscapes(fields[dash + 2]), options: String(fields[5]))
        }
    }

    /// Mount points of a device, in mount order, without duplicates.
    public func mountPoints(of device: DeviceNumber) -> [String] {
        var seen = Set<String>()
        return mounts.filter { $0.device == device }.map(\.mountPoint).filter { seen.insert($0).inserted }
    }

    /// The mount whose mount point is exactly `path`, the last one if stacked.
    public func mount(at path: String) -> Mount? {
        mounts.last { $0.mountPoint == path }
    }

    /// The device mounted at `/`.
    public var rootDevice: DeviceNumber? { mount(at: "/")?.device }
}

/// Decodes the `\NNN` octal escapes mountinfo, swaps and fstab use for spaces, tabs and backslashes.
public func decodeOctalEscapes(_ field: some StringProtocol) -> String {
    guard field.contains("\\") else { return String(field) }
    var bytes: [UInt8] = []
    let utf8 = Array(field.utf8)
    var i = 0
    while i < utf8.count {
        if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count, let value = octal(utf8[(i + 1)...(i + 3)]) {
            bytes.append(value)
            i += 4
        } else {
            bytes.append(utf8[i])
            i += 1
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
    guard digits.count == 3 else { return nil }
    var value: UInt32 = 0
    for d in digits {
        guard d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") else { return nil }
        value = value * 8 + UInt32(d - UInt8(ascii: "0"))
    }
    return value <= 255 ? UInt8(value) : nil
}
