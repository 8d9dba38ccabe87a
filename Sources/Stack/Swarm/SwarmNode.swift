// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (Codable fields named as docker's JSON field names)

public import Foundation

/// One node of the Swarm as the manager reports it (`docker node inspect`).
public struct SwarmNode: Equatable, Sendable {
    public var id: String
    public var hostname: String
    public var role: String = "worker"
    /// `active`, `pause` or `drain`.
    public var availability: String = "active"
    /// `ready`, `down`, `disconnected` or `unknown`.
    public var state: String = "ready"
    public var address: String = ""
    public var labels: [String: String] = [:]

    public var isDatabase: Bool { labels[WordPressStack.databaseLabel] == "true" }
    public var isWordPress: Bool { labels[WordPressStack.wordpressLabel] == "true" }
    public var isReady: Bool { state == "ready" }

    /// The nodes in the JSON array `docker node inspect NODE...` prints.
    /// - Throws: `StackError` naming what it could not read.
    public static func parse(inspectJSON data: Data) throws(StackError) -> [SwarmNode] {
        struct Inspected: Decodable {
            struct Spec: Decodable {
                var Labels: [String: String]?
                var Role: String?
                var Availability: String?
            }
            struct Description: Decodable { var Hostname: String? }
            struct Status: Decodable {
                var State: String?
                var Addr: String?
            }
            var ID: String
            var Spec: Spec?
            var Description: Description?
            var Status: Status?
        }
        let decoded: [Inspected]
        do {
            decoded = try JSONDecoder().decode([Inspected].self, from: data)
        } catch {
            throw StackError("cannot read `docker node inspect`'s answer (\(error)): is this a Swarm manager?")
        }
        return decoded.map {
            SwarmNode(
                id: $0.ID, hostname: $0.Description?.Hostname ?? $0.ID, role: $0.Spec?.Role ?? "worker",
                availability: $0.Spec?.Availability ?? "active", state: $0.Status?.State ?? "unknown",
                address: $0.Status?.Addr ?? "", labels: $0.Spec?.Labels ?? [:])
        }
    }
}
