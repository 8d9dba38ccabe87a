/// An optional that JSON always shows: the value, or `null` when absent.
///
/// Synthesized `Codable` leaves a nil optional's key out; brickctl's `--json` shapes keep every key
/// (a stable shape scripts can index), so optional fields are declared `@NullWhenAbsent var x: T?`
/// instead of hand-writing `encode(to:)`. Decoding accepts the key missing or `null`.
@propertyWrapper
public struct NullWhenAbsent<Value> {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }
}

extension NullWhenAbsent: Sendable where Value: Sendable {}
extension NullWhenAbsent: Equatable where Value: Equatable {}
extension NullWhenAbsent: Hashable where Value: Hashable {}

extension NullWhenAbsent: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension NullWhenAbsent: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension KeyedDecodingContainer {
    /// A missing key decodes as nil (what synthesized `Decodable` does for a plain optional).
    public func decode<Value: Decodable>(_: NullWhenAbsent<Value>.Type, forKey key: Key) throws -> NullWhenAbsent<Value>
    {
        NullWhenAbsent(wrappedValue: try decodeIfPresent(Value.self, forKey: key))
    }
}
