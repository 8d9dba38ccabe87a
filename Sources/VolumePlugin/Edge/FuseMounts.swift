import BlockDevices
import Foundation
import Glibc
import Gluster
import HostIO

/// The FUSE mounts of Gluster volumes on this host: one per Gluster volume, under the state
/// directory, shared by every Docker volume on it. Blocking: call through `BlockingPool`.
struct FuseMounts: Sendable {
    let configuration: PluginConfiguration
    /// Client options of the `web` profile (and whatever the operator adds).
    let clientOptions: [String]

    enum Health: Equatable, Sendable {
        case mounted
        case absent
        /// Mounted, but the client is gone (ENOTCONN) or answers with an error.
        case stale(String)
        /// Something else is mounted there.
        case foreign(String)
    }

    func health(of glusterVolume: String) -> Health {
        let mountPoint = configuration.mountPoint(of: glusterVolume)
        guard let mount = MountTable.current().mount(at: mountPoint) else { return .absent }
        guard mount.fsType == "fuse.glusterfs" else { return .foreign(mount.fsType) }
        var st = stat()
        guard stat(mountPoint, &st) == 0 else { return .stale(String(cString: strerror(errno))) }
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
        } catch let error where error.cause == String(cString: strerror(ENOTCONN)) {
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
        do {
            try mountOnce(glusterVolume)
        } catch let error where error.code == .mountFailed && error.cause?.contains("mount point absent") == true {
            usleep(200_000)
            try mountOnce(glusterVolume)
        }
    }

    private func mountOnce(_ glusterVolume: String) throws(PluginError) {
        guard let first = configuration.servers.first else {
            throw PluginError(
                .mountFailed, "no Gluster server is configured: start the plugin with --servers HOST1,HOST2")
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
                Self.errorLines(log: log, from: logSize) + (output.succeeded ? ["mount point \(state)"] : [])
            let why =
                AuthRefusal.isRefusal(Self.errorLines(log: log, from: logSize, last: 50))
                ? AuthRefusal.advice(volume: glusterVolume, clientAddress: HostAddresses.sourceAddress(toward: first))
                : "check that the volume exists and is started (`brickctl volume status \(glusterVolume)`) and that this host may mount it"
            throw PluginError(
                .mountFailed,
                "cannot mount Gluster volume \(glusterVolume) from \(configuration.servers.joined(separator: ", ")): \(why)",
                cause: ([output.message] + clientErrors).filter { !$0.isEmpty }.joined(separator: "; "))
        }
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
                    cause: String(cString: strerror(err)))
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
