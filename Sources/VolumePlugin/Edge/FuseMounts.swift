import BlockDevices
import Foundation
import Glibc
import Gluster
import HostIO

/// The FUSE mounts of Gluster volumes on this host: one per Gluster volume, under the state
/// directory, shared by every Docker volume on it. Blocking: call through `BlockingPool`.
/// The plugin mounts and checks them; `plugin status` only checks (`health(of:)`).
public struct FuseMounts: Sendable {
    let configuration: PluginConfiguration
    /// Client options of the `web` profile (and whatever the operator adds).
    let clientOptions: [String]

    public init(configuration: PluginConfiguration, clientOptions: [String] = []) {
        self.configuration = configuration
        self.clientOptions = clientOptions
    }

    /// How the FUSE mount point of a Gluster volume is.
    public enum Health: Equatable, Sendable, CustomStringConvertible {
        case mounted
        case absent
        /// Mounted, but the client is gone (ENOTCONN) or answers with an error (`stat`'s errno).
        case stale(errno: Int32)
        /// Something else (this file system type) is mounted there.
        case foreign(String)

        /// `plugin status`'s words: mounted | not mounted | stale: ERROR | foreign: TYPE.
        public var description: String {
            switch self {
            case .mounted: "mounted"
            case .absent: "not mounted"
            case .stale(let number): "stale: \(String(cString: strerror(number)))"
            case .foreign(let type): "foreign: \(type)"
            }
        }

        /// The words a failed mount's cause has always used ("mount point absent").
        var mountFailureWords: String {
            switch self {
            case .mounted: "mounted"
            case .absent: "absent"
            case .stale(let number): "stale(\"\(String(cString: strerror(number)))\")"
            case .foreign(let type): "foreign(\"\(type)\")"
            }
        }
    }

    /// Reads mountinfo and `stat`s the mount point (a dead client answers ENOTCONN).
    public func health(of glusterVolume: String) -> Health {
        let mountPoint = configuration.mountPoint(of: glusterVolume)
        guard let mount = MountTable.current().mount(at: mountPoint) else { return .absent }
        guard mount.fsType == "fuse.glusterfs" else { return .foreign(mount.fsType) }
        var st = stat()
        guard stat(mountPoint, &st) == 0 else { return .stale(errno: errno) }
        return .mounted
    }

    /// Mounts the Gluster volume if it is not, remounts a stale mount.
    func ensureMounted(_ glusterVolume: String) throws(PluginError) {
        switch health(of: glusterVolume) {
        case .mounted:
            return
        case .absent:
            try mount(glusterVolume)
            PluginMetrics.shared.recordMount(glusterVolume, remount: false)
        case .stale:
            unmount(glusterVolume, lazy: true)
            try mount(glusterVolume)
            PluginMetrics.shared.recordMount(glusterVolume, remount: true)
        case .foreign(let type):
            throw PluginError(
                .notOnGluster,
                "\(configuration.mountPoint(of: glusterVolume)) has a \(type) mount: unmount it; the plugin mounts Gluster there"
            )
        }
    }

    /// The path of `directory` in the Gluster volume, mounted first if need be (see
    /// `verifiedPath`). A mount whose root still answers while its client is gone (ENOTCONN on
    /// the directory) is mounted again, once.
    func mountedPath(_ glusterVolume: String, directory: String) throws(PluginError) -> String {
        try ensureMounted(glusterVolume)
        do {
            return try verifiedPath(glusterVolume, directory: directory)
        } catch let error where error.cause == .errno(ENOTCONN) {
            unmount(glusterVolume, lazy: true)
            try mount(glusterVolume)
            PluginMetrics.shared.recordMount(glusterVolume, remount: true)
            return try verifiedPath(glusterVolume, directory: directory)
        }
    }

    /// `mount -t glusterfs` with backup-volfile-servers and the profile's client options; a mount
    /// that exits 0 but does not show up is tried once more (seen right after an unmount of the
    /// same mount point, while the previous client was still exiting).
    /// - Throws: `PluginError` (`mount-failed`) with the glusterfs client's own error lines.
    func mount(_ glusterVolume: String) throws(PluginError) {
        guard case .notShown = try mountOnce(glusterVolume) else { return }
        usleep(200_000)
        if case .notShown(let error) = try mountOnce(glusterVolume) { throw error }
    }

    /// How a `mount` that did not throw went.
    private enum Attempt {
        case mounted
        /// `mount` exited 0 and the mount point stayed absent: worth one more try (`error` if not).
        case notShown(PluginError)
    }

    private func mountOnce(_ glusterVolume: String) throws(PluginError) -> Attempt {
        guard let first = configuration.servers.first else {
            throw PluginError(
                .mountFailed, PluginConfiguration.noServers)
        }
        let mountPoint = configuration.mountPoint(of: glusterVolume)
        let log = configuration.mountLog(of: glusterVolume)
        do {
            try FileManager.default.createDirectory(
                atPath: mountPoint, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.createDirectory(
                atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        } catch {
            throw PluginError(.io, "cannot make the mount point \(mountPoint)", cause: "\(error)")
        }
        var options = ["log-file=\(log)"]
        let backups = configuration.servers.dropFirst()
        if !backups.isEmpty { options.append("backup-volfile-servers=\(backups.joined(separator: ":"))") }
        options += clientOptions
        let logSize = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
        // mount.glusterfs leaves the glusterfs client running with its stdout and stderr: they go to
        // a file, never a pipe this process would close under it (SIGPIPE would kill the client).
        let outputFile = "\(log).mount-output"
        let output: Command.Output
        do {
            let child = try Command(
                "mount",
                ["-t", "glusterfs", "-o", options.joined(separator: ","), "\(first):/\(glusterVolume)", mountPoint]
            )
            .spawn(stdin: .null, stdout: .file(outputFile), stderr: .file(outputFile))
            let status: Int32
            do {
                status = try child.wait(timeout: 90)
            } catch {
                child.terminate()
                throw error
            }
            let text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            output = Command.Output(status: status, stdout: "", stderr: text)
        } catch {
            throw PluginError(
                .mountFailed,
                "cannot mount Gluster volume \(glusterVolume) from \(configuration.servers.joined(separator: ", "))",
                cause: "\(error)")
        }
        // mount.glusterfs can return before the client answers on the mount point: give it 10 s.
        var state = health(of: glusterVolume)
        let deadline = monotonicSeconds() + 10
        while output.succeeded, state != .mounted, monotonicSeconds() < deadline {
            usleep(20_000)
            state = health(of: glusterVolume)
        }
        guard output.succeeded, state == .mounted else {
            if state != .absent { unmount(glusterVolume, lazy: true) }
            let clientErrors =
                Self.errorLines(log: log, from: logSize)
                + (output.succeeded ? ["mount point \(state.mountFailureWords)"] : [])
            let refused = AuthRefusal.isRefusal(Self.errorLines(log: log, from: logSize, last: 50))
            let why =
                refused
                ? AuthRefusal.ofThisHost(volume: glusterVolume, toward: first).pluginHint
                : "check that the volume exists and is started (`gluster volume status \(glusterVolume)` on a pool host) and that this host may mount it"
            let cause = ([output.message] + clientErrors).filter { !$0.isEmpty }.joined(separator: "; ")
            let error = PluginError(
                .mountFailed,
                "cannot mount Gluster volume \(glusterVolume) from \(configuration.servers.joined(separator: ", ")): \(why)",
                because: refused ? .refused(cause) : .text(cause))
            guard output.succeeded, state == .absent else { throw error }
            return .notShown(error)
        }
        return .mounted
    }

    /// Unmounts (lazily for a stale mount: a dead client cannot answer). Busy: left mounted.
    func unmount(_ glusterVolume: String, lazy: Bool = false) {
        let mountPoint = configuration.mountPoint(of: glusterVolume)
        _ = try? Command("umount", (lazy ? ["-l"] : []) + [mountPoint]).run(timeout: 30)
    }

    /// The path of `directory` inside the mounted Gluster volume, once it is sure to be on Gluster.
    ///
    /// Never hands out a local directory: the mount point must be `fuse.glusterfs` in mountinfo
    /// and the directory must exist through it (retried for a moment: a directory another client
    /// made a moment ago can be hidden by the negative-lookup cache).
    func verifiedPath(_ glusterVolume: String, directory: String) throws(PluginError) -> String {
        let mountPoint = configuration.mountPoint(of: glusterVolume)
        let path = mountPoint + directory
        let deadline = monotonicSeconds() + 3
        while true {
            guard let mount = MountTable.current().mount(at: mountPoint), mount.fsType == "fuse.glusterfs" else {
                throw PluginError(
                    .notOnGluster,
                    "\(mountPoint) is not a Gluster mount any more: refusing to hand out a local directory; try again")
            }
            var st = stat()
            if stat(path, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw PluginError(
                        .notOnGluster, "\(directory) on Gluster volume \(glusterVolume) is not a directory")
                }
                return path
            }
            let err = errno
            if err != ENOENT || monotonicSeconds() > deadline {
                throw PluginError(
                    .notOnGluster,
                    "\(directory) is missing on Gluster volume \(glusterVolume): the volume's directory was deleted outside Docker; remove the volume (docker volume rm) and create it again",
                    because: .errno(err))
            }
            usleep(50_000)
        }
    }

    /// The client's error and warning lines (` E [`, ` W [`) written to `log` since byte `offset`, the last `last`.
    static func errorLines(log: String, from offset: Int, last: Int = 3) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: log) else { return [] }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").filter { $0.contains("] E [") || $0.contains("] W [") }.suffix(last).map {
            String($0.split(separator: "] ", maxSplits: 2).last ?? $0)
        }
    }
}

extension MountTable {
    /// This process's mounts now.
    static func current() -> MountTable {
        MountTable(mountinfo: ProcFile.read("/proc/self/mountinfo") ?? "")
    }
}
