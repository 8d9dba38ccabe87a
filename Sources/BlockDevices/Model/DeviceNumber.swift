/// A block device's kernel number, `major:minor` — how mountinfo, sysfs and swaps name a device.
public struct DeviceNumber: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public var major: UInt32
    public var minor: UInt32

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Parses `"8:16"`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let major = UInt32(parts[0]), let minor = UInt32(parts[1]) else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major):\(minor)" }

    public static func < (a: DeviceNumber, b: DeviceNumber) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let number = DeviceNumber(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not MAJ:MIN: \(text)"))
        }
        self = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
