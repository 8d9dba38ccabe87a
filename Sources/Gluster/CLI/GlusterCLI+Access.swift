import Foundation
import HostIO

extension GlusterCLI {
    /// The current value of option `key` of volume `name` (its default when never set).
    ///
    /// Runs `gluster volume get NAME KEY`.
    /// - Throws: `GlusterCLIError`, e.g. `.refused` with kind `noSuchVolume`.
    public func optionValue(_ name: String, _ key: String) async throws(GlusterCLIError) -> String {
        let arguments = ["volume", "get", name, key]
        let envelope = try await run(arguments, subject: name)
        let values: [(key: String, value: String)]
        do {
            values = try VolumeOptionValues.list(from: envelope)
        } catch {
            throw .unreadable(command: display(arguments), error)
        }
        guard let found = values.first(where: { $0.key == key }) else {
            throw .unreadable(command: display(arguments), GlusterXMLError("no value for \(key)", in: envelope.xml))
        }
        return found.value
    }

    /// Who may mount volume `name` now.
    ///
    /// Runs `gluster volume get NAME auth.allow`.
    /// - Throws: `GlusterCLIError`.
    public func authAllow(_ name: String) async throws(GlusterCLIError) -> AuthAllow {
        AuthAllow(value: try await optionValue(name, AuthAllow.key))
    }

    /// Lets exactly `allow` mount volume `name` (clients already connected keep their
    /// connection until they reconnect; new mounts are checked).
    ///
    /// Runs `gluster volume set NAME auth.allow VALUE`.
    /// - Throws: `GlusterCLIError`.
    public func setAuthAllow(_ name: String, _ allow: AuthAllow) async throws(GlusterCLIError) {
        try await set(name, AuthAllow.key, allow.value)
    }
}
