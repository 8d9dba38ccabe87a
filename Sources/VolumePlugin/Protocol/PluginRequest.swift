public import Foundation

/// The body of a Docker volume plugin call (`/VolumeDriver.*`): every field Docker may send.
///
/// Decoded leniently: an empty body is an empty request (Activate, List and Capabilities send
/// none), unknown fields are ignored; the Content-Type is not looked at.
public struct PluginRequest: Decodable, Sendable, Equatable {
    public var name: String?
    public var id: String?
    public var options: [String: String]?

    enum CodingKeys: String, CodingKey {
        case name = "Name"
        case id = "ID"
        case options = "Opts"
    }

    /// The largest body read (Docker's are a few hundred bytes).
    public static let maxBody = 1 << 20

    /// The Name field, validated.
    public func validName() throws(PluginError) -> String {
        guard let name else { throw PluginError(.badRequest, "the request has no Name") }
        try VolumeName.validate(name)
        return name
    }

    /// The ID field (Mount/Unmount): any non-empty string of at most 255 bytes.
    public func validID() throws(PluginError) -> String {
        guard let id, !id.isEmpty, id.utf8.count <= 255, !id.contains("\0") else {
            throw PluginError(.badRequest, "the request has no valid ID (Mount and Unmount carry one per mount)")
        }
        return id
    }
}

extension PluginRequest {
    /// - Throws: `PluginError` (`bad-request`) for a body that is not a JSON object of this shape.
    public init(body: Data) throws(PluginError) {
        let trimmed = body.drop { $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }
        guard !trimmed.isEmpty else {
            self.init()
            return
        }
        do {
            self = try JSONDecoder().decode(PluginRequest.self, from: body)
        } catch {
            throw PluginError(
                .badRequest,
                "the request body is not a JSON object like {\"Name\": \"...\", \"ID\": \"...\", \"Opts\": {}}")
        }
    }
}
