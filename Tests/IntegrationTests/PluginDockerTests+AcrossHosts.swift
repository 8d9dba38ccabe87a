import Foundation
import HostIO
import Testing

extension Integration.PluginDockerTests {
    /// Waits (at most `seconds`) until `probe` holds; polls with a growing pause.
    func eventually(_ seconds: Double, _ probe: () throws -> Bool) rethrows -> Bool {
        let deadline = monotonicSeconds() + seconds
        var pause: useconds_t = 50_000
        while true {
            if try probe() { return true }
            if monotonicSeconds() >= deadline { return false }
            usleep(pause)
            pause = min(pause * 2, 1_000_000)
        }
    }

    func listed(_ node: String, _ name: String) throws -> Bool {
        try raw(node, "VolumeDriver.List", "{}").stdout.contains(#""Name":"\#(name)""#)
    }

    /// Runs `script` with the Gluster volume FUSE-mounted at a scratch folder of n1 (as `$1`).
    func withGlusterMount(_ script: String) throws -> Command.Output {
        let point = "/run/brickctl-test-markers"
        return try lab.exec(
            "n1",
            [
                "sh", "-c",
                "mkdir -p \(point) && mount -t glusterfs n1:/\(gluster) \(point) || exit 9; sh -c \"$1\" sh \(point); rc=$?; umount \(point); exit $rc",
                "sh", script,
            ])
    }

    @Test func aVolumeMadeOnOneHostIsListedOnAnotherThatNeverSawIt() throws {
        let name = "seen\(UUID().uuidString.prefix(6).lowercased())"
        let made = try raw("n1", "VolumeDriver.Create", #"{"Name":"\#(name)","Opts":{"uid":"33"}}"#)
        #expect(made.stdout == #"{"Err":""}"#, "\(made.stdout)")
        // n2's plugin got no Create and no Get for it: List reads the markers on Gluster (cached 5 s).
        #expect(try eventually(20) { try listed("n2", name) }, "n2's List shows the volume n1 made")
        #expect(try docker("n2", ["volume", "ls", "-q"]).stdout.split(separator: "\n").contains { $0 == name })
        #expect(
            try !lab.exec("n2", ["cat", "\(stateDir)/state.json"]).stdout.contains(#""\#(name)""#),
            "List does not adopt it (a Get or Mount does)")
        let get = try raw("n2", "VolumeDriver.Get", #"{"Name":"\#(name)"}"#)
        #expect(
            get.stdout.contains(#""Err":"""#) && get.stdout.contains(#""glusterVolume":"\#(gluster)""#), "\(get.stdout)"
        )
    }

    @Test func aDamagedMarkerIsSkippedByListAndExplainedByGet() throws {
        let bad = "broken\(UUID().uuidString.prefix(6).lowercased())"
        let good = "after\(UUID().uuidString.prefix(6).lowercased())"
        #expect(try raw("n1", "VolumeDriver.Create", #"{"Name":"\#(bad)"}"#).stdout == #"{"Err":""}"#)
        let cut = try withGlusterMount("printf '{\"name\": \"bro' > \"$1/brickctl/markers/\(bad).json\"")
        try #require(cut.status == 0, "\(cut.stderr)")
        defer { _ = try? withGlusterMount("rm -f \"$1/brickctl/markers/\(bad).json\"") }
        // A volume made after the damage: once n2 lists it, n2 has read the damaged marker too.
        #expect(try raw("n1", "VolumeDriver.Create", #"{"Name":"\#(good)"}"#).stdout == #"{"Err":""}"#)
        #expect(try eventually(20) { try listed("n2", good) })
        #expect(try !listed("n2", bad), "List skips the damaged marker")
        let log = try lab.exec("n2", ["cat", "/run/brickctl-plugin-test.log"]).stdout
        #expect(log.contains("skipping \(gluster):/brickctl/markers/\(bad).json"), "\(log.suffix(800))")
        let get = try raw("n2", "VolumeDriver.Get", #"{"Name":"\#(bad)"}"#)
        #expect(get.stdout.contains("is damaged") && get.stdout.contains("\(bad).json"), "\(get.stdout)")
    }

    @Test func aSizeIsAQuotaThatWritesCannotPass() throws {
        let name = "quota\(UUID().uuidString.prefix(6).lowercased())"
        let create = try docker("n1", ["volume", "create", "-d", "brickctl", "-o", "size=20MB", name])
        try #require(create.status == 0, "\(create.stderr)")
        let inspect = try docker("n1", ["volume", "inspect", "--format", "{{json .Status}}", name])
        #expect(inspect.stdout.contains(#""size":"20MB""#), "\(inspect.stdout)")
        // 1 MiB files, each fsync'd, until a write fails (at most 200 MiB: the quota must stop it well before).
        let write = try docker(
            "n1",
            [
                "run", "--rm", "-v", "\(name):/d", "busybox:lab", "sh", "-c",
                "i=0; while [ $i -lt 200 ]; do out=$(busybox dd if=/dev/zero of=/d/f$i bs=1M count=1 conv=fsync 2>&1) || { echo \"$i: $out\"; exit 3; }; i=$((i+1)); done; echo wrote all",
            ])
        #expect(write.status == 3, "a write past the limit fails: \(write.stdout)\(write.stderr)")
        #expect(write.stdout.contains("Disk quota exceeded"), "EDQUOT: \(write.stdout)")
        let written = Int(write.stdout.split(separator: ":").first ?? "") ?? 999
        #expect(written < 60, "stopped near the 20 MB limit (after \(written) MiB)")
        #expect(try docker("n1", ["volume", "rm", name]).status == 0)
    }

    @Test func aLocalVolumeRefusesASizeAndSaysWhatToDo() throws {
        let out = try raw("n1", "VolumeDriver.Create", #"{"Name":"localsized","Opts":{"type":"local","size":"1G"}}"#)
        #expect(out.stdout.contains("leave -o size out"), "\(out.stdout)")
        #expect(try lab.exec("n1", ["test", "-e", "\(localRoot)/localsized"]).status != 0)
    }
}

extension Integration.PluginDockerTests {
    /// A client that sends a Mount and closes the connection before the answer (what dockerd's
    /// own 2-minute timeout or a crash does) leaves no reference: Docker never sends an Unmount
    /// for a Mount it saw fail, so the plugin undoes it and logs why. A client that waits for
    /// the answer holds its mount as before.
    @Test func aClientGoneBeforeItsMountAnswerLeavesNoReference() throws {
        let name = "gone\(UUID().uuidString.prefix(6).lowercased())"
        #expect(try raw("n1", "VolumeDriver.Create", #"{"Name":"\#(name)"}"#).stdout == #"{"Err":""}"#)
        let id = "client-gone-\(UUID().uuidString.prefix(6).lowercased())"
        let send = """
            import json, socket, sys
            body = json.dumps({"Name": sys.argv[1], "ID": sys.argv[2]}).encode()
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect("/run/docker/plugins/brickctl.sock")
            s.sendall(b"POST /VolumeDriver.Mount HTTP/1.1\\r\\nHost: plugin\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body) + body)
            s.close()
            """
        let sent = try lab.exec("n1", ["python3", "-c", send, name, id])
        try #require(sent.status == 0, "\(sent.stderr)")
        let undone = try eventually(20) {
            try lab.exec("n1", ["cat", "/run/brickctl-plugin-test.log"]).stdout.contains(
                "before the answer to Mount \(id): undone")
        }
        #expect(undone, "the plugin says it undid the Mount whose client left")
        let get = try raw("n1", "VolumeDriver.Get", #"{"Name":"\#(name)"}"#)
        #expect(get.stdout.contains(#""mounts":0"#), "no reference left: \(get.stdout)")
        #expect(!(try lab.exec("n1", ["cat", "\(stateDir)/references.json"]).stdout.contains(id)))

        // A client that reads the answer holds the mount.
        let held = try raw("n1", "VolumeDriver.Mount", #"{"Name":"\#(name)","ID":"\#(id)-stays"}"#)
        #expect(held.stdout.contains(#""Mountpoint":"#) && held.stdout.contains(#""Err":"""#), "\(held.stdout)")
        #expect(try raw("n1", "VolumeDriver.Get", #"{"Name":"\#(name)"}"#).stdout.contains(#""mounts":1"#))
        #expect(
            try raw("n1", "VolumeDriver.Unmount", #"{"Name":"\#(name)","ID":"\#(id)-stays"}"#).stdout
                == #"{"Err":""}"#)
        #expect(try raw("n1", "VolumeDriver.Remove", #"{"Name":"\#(name)"}"#).stdout == #"{"Err":""}"#)
    }
}

extension Integration.PluginDockerTests {
    /// `-o size` on a host that is not a Gluster server of the pool: quota goes through this
    /// host's glusterd, so Create is refused with what to do, and leaves no marker a later Create
    /// would adopt without its limit. The host is n1 seen by a second plugin that cannot reach a
    /// glusterd (its own mount namespace, where glusterd's socket is /dev/null).
    @Test func aSizeOnAHostThatIsNoPoolServerIsRefusedWithWhatToDo() throws {
        let dir = "/run/brickctl-nopool"
        _ = try lab.exec("n1", ["rm", "-rf", dir])
        _ = try lab.exec("n1", ["mkdir", "-p", dir])
        let plugin = try Command(
            lab.script,
            [
                "exec", "n1", "unshare", "-m", "sh", "-c",
                "mount --bind /dev/null /run/glusterd.socket || exit 9; echo $$ >\(dir)/pid; exec \"$@\" 2>>\(dir)/log",
                "sh", Fixtures.brickctl, "plugin", "serve", "--servers", "n1,n2", "--volume", gluster,
                "--state-dir", "\(dir)/state", "--socket", "\(dir)/brickctl.sock",
            ], environment: ["LAB_ID": Lab.id]
        ).spawn(stdout: .null, stderr: .null)
        defer {
            if let pid = Int32(
                (try? lab.exec("n1", ["cat", "\(dir)/pid"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                    ?? "")
            {
                kill(pid, SIGTERM)
            }
            _ = try? plugin.wait(timeout: 20)
        }
        let socket = "\(dir)/brickctl.sock"
        #expect(
            try eventually(15) { try raw("n1", "Plugin.Activate", "", socket: socket).stdout.contains("VolumeDriver") },
            "the second plugin listens")
        let name = "nopool\(UUID().uuidString.prefix(6).lowercased())"
        let create = try raw(
            "n1", "VolumeDriver.Create", #"{"Name":"\#(name)","Opts":{"size":"20MB"}}"#, socket: socket)
        #expect(
            create.stdout.contains("run the plugin on a Gluster server of the pool, or leave -o size out"),
            "\(create.stdout)")
        let marker = try withGlusterMount("test ! -e \"$1/brickctl/markers/\(name).json\"")
        #expect(marker.status == 0, "no marker left for the refused volume")
        // Without -o size the same host makes volumes as usual.
        let plain = try raw("n1", "VolumeDriver.Create", #"{"Name":"\#(name)"}"#, socket: socket)
        #expect(plain.stdout == #"{"Err":""}"#, "\(plain.stdout)")
        #expect(try raw("n1", "VolumeDriver.Remove", #"{"Name":"\#(name)"}"#, socket: socket).stdout == #"{"Err":""}"#)
    }
}
