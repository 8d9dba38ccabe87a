public import HostIO

/// A block device's kernel number, `major:minor` — how mountinfo, sysfs and swaps name a device.
public struct DeviceNumber: Hashable, Sendable, Comparable, CodableAsText {
    public var major: UInt32
    public var minor: UInt32

    public var description: String { "\(major):\(minor)" }

    public static func < (a: DeviceNumber, b: DeviceNumber) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }

    public static let textForm = "MAJ:MIN"
}

extension DeviceNumber {
    /// Parses `"8:16"`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let major = UInt32(parts[0]), let minor = UInt32(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    /// JSON: `"8:16"`.
    public init?(text: String) { self.init(text) }
}
