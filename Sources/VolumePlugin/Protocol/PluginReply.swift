public import Foundation

/// Replies of the Docker volume plugin protocol, as JSON. `Err` is "" on success.
public enum PluginReply {
    public static let contentType = "application/vnd.docker.plugins.v1.2+json"

    public static func activate() -> Data { json(["Implements": ["VolumeDriver"]]) }
    public static func capabilities() -> Data { json(["Capabilities": ["Scope": "global"]]) }
    public static func ok() -> Data { json(["Err": ""]) }
    public static func error(_ error: any Error) -> Data {
        json(["Err": "brickctl: \((error as? PluginError)?.description ?? "\(error)")"])
    }
    public static func mountpoint(_ path: String) -> Data { json(["Mountpoint": path, "Err": ""]) }

    public static func get(name: String, mountpoint: String, status: [String: Any]) -> Data {
        json(["Volume": ["Name": name, "Mountpoint": mountpoint, "Status": status] as [String: Any], "Err": ""])
    }

    public static func list(_ volumes: [(name: String, mountpoint: String)]) -> Data {
        json(["Volumes": volumes.map { ["Name": $0.name, "Mountpoint": $0.mountpoint] }, "Err": ""])
    }

    static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data(#"{"Err":"brickctl: cannot encode the reply"}"#.utf8)
    }
}
