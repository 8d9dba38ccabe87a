import Foundation

/// Whether dockerd knows this plugin's volume driver, read from
/// `docker info --format '{{json .Plugins.Volume}}'`, and what to do about it.
///
/// Why this is needed (moby 20.10, read in its sources): `docker info`'s Plugins.Volume is the
/// driver store's in-memory list (volume/drivers/extpoint.go `GetDriverList`), and it is that list
/// the Swarm agent sends to the manager as the node's plugins (daemon/cluster/executor/container/
/// executor.go `Describe`, re-sent when it changes, checked every 20 s by swarmkit's agent). A
/// legacy plugin (a socket in /run/docker/plugins) enters the store only when dockerd looks it up
/// by name (a Create, a Get) or lists volumes (`GET /volumes` → `GetAllDrivers`, which scans the
/// plugin folders, activates each plugin and keeps the v1 ones). The store lives in memory: a
/// restarted dockerd starts without it. A volume list is harmless, so that is the plugin's
/// announcement, repeated whenever dockerd stops listing the driver.
public enum DockerPresence: Equatable, Sendable {
    /// dockerd lists the driver: Swarm learns it with the next node update.
    case listed
    /// dockerd answers and does not list it: list volumes (`docker volume ls`) to make it look.
    case unlisted
    /// dockerd does not answer (not started yet, or stopped): try again later.
    case dockerdUnreachable(String)

    /// Reads `docker info`'s answer.
    /// - Parameters:
    ///   - status: the client's exit status; `stdout` the JSON array of driver names; `stderr` why not.
    ///   - driver: the driver's name (the socket file's name without `.sock`).
    public init(status: Int32, stdout: String, stderr: String, driver: String) {
        guard status == 0 else {
            let why = stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(status)"
            self = .dockerdUnreachable(why)
            return
        }
        let names = (try? JSONDecoder().decode([String]?.self, from: Data(stdout.utf8))) ?? nil
        self = (names ?? []).contains(driver) ? .listed : .unlisted
    }

    /// The driver name Docker gives a plugin whose socket is at `socket`, when dockerd looks for
    /// sockets there (/run/docker/plugins, FIELD-NOTES); nil elsewhere (a test socket: nothing to announce).
    public static func driverName(socket: String) -> String? {
        let url = URL(fileURLWithPath: socket)
        guard ["/run/docker/plugins", "/var/run/docker/plugins"].contains(url.deletingLastPathComponent().path),
            url.pathExtension == "sock"
        else {
            return nil
        }
        return url.deletingPathExtension().lastPathComponent
    }
}
