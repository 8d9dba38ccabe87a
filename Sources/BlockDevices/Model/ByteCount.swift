/// A size in bytes, shown like lsblk: `1G`, `512M`, `1.5T` (binary units).
public struct ByteCount: CustomStringConvertible, Sendable, Hashable {
    public var bytes: UInt64

    public init(_ bytes: UInt64) {
        self.bytes = bytes
    }

    public var description: String {
        let units = ["B", "K", "M", "G", "T", "P", "E"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes)B" }
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return "\(Int(rounded))\(units[unit])" }
        return "\(rounded)\(units[unit])"
    }
}
