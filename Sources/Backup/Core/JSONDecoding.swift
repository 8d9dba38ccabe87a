import Foundation

/// Foundation's JSON decoder over bytes (one place, so the core's files need not import Foundation).
enum JSONDecoding {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
