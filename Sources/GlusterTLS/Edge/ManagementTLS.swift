import Foundation
import HostIO

#if canImport(Glibc)
    import Glibc
#endif

/// Gluster's management TLS on this host: glusterd's port 24007 (peers, volfile fetches,
/// portmapper), switched by the file `/var/lib/glusterd/secure-access`.
///
/// Read in glusterfs's sources and measured on Debian's 10.3: every process reads that file once,
/// at its start — glusterd, bricks (glusterfsd), FUSE clients (glusterfs), gfapi at glfs_init, the
/// CLI — and then speaks TLS to port 24007 (and glusterd accepts only TLS there). Those
/// connections take their certificate from the compiled-in paths (`GlusterSSLFiles.managementDirectory`),
/// never from a volume's ssl.* options. So switching it means: the file on every node and client,
/// glusterd restarted everywhere; processes started before keep the old mode on 24007 (running
/// bricks and FUSE mounts still serve I/O — brick ports are not affected — but cannot fetch
/// volfile changes or look up a restarted brick's port until they are restarted / remounted).
public struct ManagementTLS: Sendable {
    public var secureAccessPath: String
    public var pidFile: String

    public init(secureAccessPath: String = "/var/lib/glusterd/secure-access", pidFile: String = "/run/glusterd.pid") {
        self.secureAccessPath = secureAccessPath
        self.pidFile = pidFile
    }

    /// Whether secure-access exists here.
    public var isOn: Bool { FileManager.default.fileExists(atPath: secureAccessPath) }

    /// Creates (on) or removes (off) secure-access; returns whether anything changed.
    /// - Throws: `TLSError.io`.
    @discardableResult
    public func set(_ on: Bool) throws(TLSError) -> Bool {
        if on == isOn { return false }
        if on {
            let directory = (secureAccessPath as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: directory) else {
                throw TLSError(
                    .io,
                    "\(directory) does not exist: install glusterfs-server (or glusterfs-client) on this host first")
            }
            guard FileManager.default.createFile(atPath: secureAccessPath, contents: Data()) else {
                throw TLSError(.io, "cannot create \(secureAccessPath): \(String(cString: strerror(errno)))")
            }
        } else if unlink(secureAccessPath) != 0 && errno != ENOENT {
            throw TLSError(.io, "cannot remove \(secureAccessPath): \(String(cString: strerror(errno)))")
        }
        return true
    }

    /// The running glusterd's pid (from its pid file, checked against /proc), or nil.
    public var glusterdPid: Int32? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
            let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            comm.trimmingCharacters(in: .whitespacesAndNewlines) == "glusterd",
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), !stat.contains(") Z ")
        else { return nil }
        return pid
    }

    /// Restarts glusterd so that it reads secure-access again: `systemctl restart glusterd` under
    /// systemd; else SIGTERM to the pid in the pid file and `glusterd -p PIDFILE`. Bricks,
    /// self-heal daemons and FUSE clients keep running (killing glusterd does not stop them).
    /// Waits (deadline `timeout` seconds) until the new glusterd answers `gluster peer status`.
    /// Returns how long glusterd was not answering. Does nothing (nil) when no glusterd runs (a
    /// client-only host).
    /// - Throws: `TLSError.io` with what to do.
    public func restartGlusterd(timeout: Double = 60) throws(TLSError) -> Double? {
        let start = monotonicSeconds()
        let deadline = start + timeout
        if FileManager.default.fileExists(atPath: "/run/systemd/system") {
            // A client-only host has no glusterd to restart (and must not get one started).
            guard (try? Command("systemctl", ["is-active", "--quiet", "glusterd"]).run(timeout: 10))?.succeeded == true
            else { return nil }
            do {
                let out = try Command("systemctl", ["restart", "glusterd"]).run(timeout: timeout)
                guard out.succeeded else { throw TLSError(.io, "systemctl restart glusterd failed: \(out.message)") }
            } catch let error as TLSError {
                throw error
            } catch {
                throw TLSError(.io, "cannot restart glusterd: \(error)")
            }
        } else {
            guard let pid = glusterdPid else { return nil }
            kill(pid, SIGTERM)
            while glusterdPid == pid {
                guard monotonicSeconds() < deadline else {
                    throw TLSError(
                        .io,
                        "glusterd (pid \(pid)) did not stop within \(Int(timeout)) s of SIGTERM: stop it by hand and start `glusterd -p \(pidFile)`"
                    )
                }
                usleep(50_000)
            }
            do {
                // glusterd daemonizes: the launcher exits once the daemon runs.
                let launcher = try Command("glusterd", ["-p", pidFile]).spawn(
                    stdin: .null, stdout: .null, stderr: .null)
                let status = try launcher.wait(timeout: max(1, deadline - monotonicSeconds()))
                guard status == 0 else {
                    throw TLSError(
                        .io, "glusterd -p \(pidFile) exited with status \(status): see /var/log/glusterfs/glusterd.log")
                }
            } catch let error as TLSError {
                throw error
            } catch {
                throw TLSError(
                    .io, "cannot start glusterd again: \(error); start it by hand (`glusterd -p \(pidFile)`)")
            }
        }
        while (try? Command("gluster", ["--mode=script", "peer", "status"]).run(timeout: 10))?.succeeded != true {
            guard monotonicSeconds() < deadline else {
                throw TLSError(
                    .io,
                    "glusterd does not answer \(Int(timeout)) s after its restart: see /var/log/glusterfs/glusterd.log")
            }
            usleep(200_000)
        }
        return monotonicSeconds() - start
    }
}
