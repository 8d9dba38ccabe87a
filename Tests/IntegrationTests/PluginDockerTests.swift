import Foundation
import HostIO
import Testing

extension Integration {
    /// The Docker volume plugin with a real dockerd in each lab node: n1 and n2 each run dockerd and
    /// `brickctl plugin serve` (as two Docker hosts would), on a replica 2 Gluster volume of n1+n2.
    @Suite(.serialized) struct PluginDockerTests {
        let lab: Lab
        let env: PluginLab
        var gluster: String { env.gluster }
        let brick = "/data/glusterfs/brick1/brick"
        let localRoot = PluginLab.localRoot
        let stateDir = PluginLab.stateDir

        init() throws {
            env = try PluginLab.shared()
            lab = env.lab
        }

        func startPlugin(_ node: String) throws { try env.startPlugin(node) }
        func raw(
            _ node: String, _ endpoint: String, _ body: String, socket: String = "/run/docker/plugins/brickctl.sock"
        ) throws -> Command.Output {
            try env.raw(node, endpoint, body, socket: socket)
        }
        var plugins: PluginLab { env }

        func docker(_ node: String, _ arguments: [String]) throws -> Command.Output {
            try lab.exec(node, ["/usr/bin/docker"] + arguments)
        }

        func onBrick(_ node: String, _ volume: String, _ file: String) throws -> Command.Output {
            try lab.exec(node, ["stat", "-c", "%u:%g %s", "\(brick)/\(gluster)/brickctl/volumes/\(volume)/\(file)"])
        }

        @Test func sharedVolumeForWordPress() throws {
            let create = try docker("n1", ["volume", "create", "-d", "brickctl", "-o", "uid=33", "-o", "gid=33", "wp"])
            #expect(create.status == 0, "\(create.stderr)")
            // The directory belongs to 33:33, so a container running as www-data can write.
            let write = try docker(
                "n1",
                [
                    "run", "--rm", "--user", "33:33", "-v", "wp:/d", "busybox:lab", "sh", "-c",
                    "echo hello > /d/index.txt",
                ])
            #expect(write.status == 0, "\(write.stderr)")
            for node in ["n1", "n2"] {
                #expect(
                    try onBrick(node, "wp", "index.txt").stdout == "33:33 6\n",
                    "the file is on \(node)'s brick, owned by 33")
            }
            // A second Docker host (n2's dockerd and plugin) knows it without a Create there.
            let read = try docker("n2", ["run", "--rm", "-v", "wp:/d", "busybox:lab", "cat", "/d/index.txt"])
            #expect(read.stdout == "hello\n", "\(read.stderr)")
            #expect(try docker("n2", ["volume", "ls", "-q"]).stdout.contains("wp"))
        }

        @Test func oneContainerExitingLeavesTheOtherMounted() throws {
            #expect(try docker("n1", ["volume", "create", "-d", "brickctl", "shared2"]).status == 0)
            let long = try docker("n1", ["run", "-d", "-v", "shared2:/d", "busybox:lab", "sleep", "600"])
            try #require(long.status == 0, "\(long.stderr)")
            let id = long.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            defer { _ = try? docker("n1", ["rm", "-f", id]) }
            #expect(
                try docker("n1", ["run", "--rm", "-v", "shared2:/d", "busybox:lab", "touch", "/d/short"]).status == 0)
            let after = try docker("n1", ["exec", id, "sh", "-c", "echo still > /d/after && cat /d/short && echo ok"])
            #expect(after.status == 0 && after.stdout.hasSuffix("ok\n"), "\(after.stderr)")
            #expect(try onBrick("n2", "shared2", "after").status == 0)
        }

        @Test func killedPluginLeavesContainersRunningAndComesBack() throws {
            #expect(try docker("n1", ["volume", "create", "-d", "brickctl", "survivor"]).status == 0)
            let long = try docker(
                "n1",
                [
                    "run", "-d", "-v", "survivor:/d", "busybox:lab", "sh", "-c",
                    "i=0; while true; do i=$((i+1)); echo $i > /d/counter.new && mv /d/counter.new /d/counter; sleep 0.2; done",
                ])
            try #require(long.status == 0, "\(long.stderr)")
            let id = long.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            defer { _ = try? docker("n1", ["rm", "-f", id]) }
            usleep(500_000)
            try env.killPlugin("n1")
            let before = try lab.exec("n1", ["cat", "\(brick)/\(gluster)/brickctl/volumes/survivor/counter"]).stdout
            usleep(1_000_000)
            // (The counter is replaced by a rename, so a read never sees it half-written.)
            let read = try docker("n1", ["exec", id, "cat", "/d/counter"])
            let later = read.stdout
            #expect(
                Int(later.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > Int(
                    before.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0,
                "the container keeps writing with the plugin dead (\(before) → \(later)) \(read.stderr)")
            try startPlugin("n1")
            #expect(try docker("n1", ["volume", "ls", "-q"]).stdout.contains("survivor"))
            let again = try docker("n1", ["run", "--rm", "-v", "survivor:/d", "busybox:lab", "cat", "/d/counter"])
            #expect(again.status == 0, "a new container mounts it after the restart: \(again.stderr)")
            // The restarted plugin still counts the running container's mount: its exit did not
            // release the FUSE mount under the first one.
            let still = try docker("n1", ["exec", id, "cat", "/d/counter"])
            #expect(still.status == 0, "the first container still reads its volume: \(still.stdout)\(still.stderr)")
        }

        @Test func removeKeepsTheDataUnlessAsked() throws {
            #expect(try docker("n1", ["volume", "create", "-d", "brickctl", "keepme"]).status == 0)
            #expect(
                try docker("n1", ["run", "--rm", "-v", "keepme:/d", "busybox:lab", "touch", "/d/data"]).status == 0)
            #expect(try docker("n1", ["volume", "rm", "keepme"]).status == 0)
            #expect(try onBrick("n1", "keepme", "data").status == 0, "docker volume rm kept the files")
            #expect(try lab.exec("n1", ["test", "-e", "\(brick)/\(gluster)/brickctl/markers/keepme.json"]).status != 0)

            #expect(
                try docker("n1", ["volume", "create", "-d", "brickctl", "-o", "on-remove=delete", "dropme"]).status == 0
            )
            #expect(
                try docker("n1", ["run", "--rm", "-v", "dropme:/d", "busybox:lab", "touch", "/d/data"]).status == 0)
            #expect(try docker("n1", ["volume", "rm", "dropme"]).status == 0)
            #expect(try lab.exec("n1", ["test", "-e", "\(brick)/\(gluster)/brickctl/volumes/dropme"]).status != 0)
        }

        @Test func localVolumeLandsOnThePreparedDisk() throws {
            let create = try docker(
                "n1", ["volume", "create", "-d", "brickctl", "-o", "type=local", "-o", "uid=999", "db"])
            #expect(create.status == 0, "\(create.stderr)")
            #expect(
                try docker(
                    "n1", ["run", "--rm", "-v", "db:/var/lib/mysql", "busybox:lab", "touch", "/var/lib/mysql/ibdata1"]
                ).status == 0)
            let owner = try lab.exec("n1", ["stat", "-c", "%u", "\(localRoot)/db"]).stdout
            #expect(owner == "999\n")
            #expect(try lab.exec("n1", ["test", "-f", "\(localRoot)/db/ibdata1"]).status == 0)
            #expect(
                try lab.exec("n1", ["findmnt", "-n", "-o", "FSTYPE", "--target", "\(localRoot)/db"]).stdout == "xfs\n")

            // A plugin whose local root is not on a prepared, mounted disk refuses, and writes nothing.
            let socket = "/run/brickctl-test-local.sock"
            let other = try Command(
                lab.script,
                [
                    "exec", "n1", Fixtures.brickctl, "plugin", "serve", "--socket", socket, "--state-dir",
                    "/run/brickctl-plugin-test-2",
                    "--local-root", "/var/tmp/brickctl-not-a-disk",
                ], environment: ["LAB_ID": Lab.id]
            ).spawn(stdout: .null, stderr: .null)
            defer {
                other.terminate()
                _ = try? lab.exec("n1", ["rm", "-rf", "/run/brickctl-plugin-test-2", socket])
            }
            var reply = Command.Output(status: 1, stdout: "", stderr: "")
            let deadline = monotonicSeconds() + 10
            repeat {
                usleep(100_000)
                reply = try raw("n1", "VolumeDriver.Create", #"{"Name":"db2","Opts":{"type":"local"}}"#, socket: socket)
            } while reply.stdout.isEmpty && monotonicSeconds() < deadline
            #expect(reply.stdout.contains("is not on a mounted disk"), "\(reply.stdout)")
            #expect(reply.stdout.contains("\\\"localRoot\\\""), "\(reply.stdout)")
            #expect(try lab.exec("n1", ["test", "-e", "/var/tmp/brickctl-not-a-disk"]).status != 0)
        }

        @Test func hostileRequestsGetAnErrorAndTheServerStaysUp() throws {
            let cases: [(String, String)] = [
                ("VolumeDriver.Create", "{not json"),
                ("VolumeDriver.Create", #"{"Name":".."}"#),
                ("VolumeDriver.Create", #"{"Name":"a/b"}"#),
                ("VolumeDriver.Create", #"{"Name":""}"#),
                ("VolumeDriver.Create", #"{"Name":"x\u0000y"}"#),
                ("VolumeDriver.Create", #"{"Name":"\#(String(repeating: "n", count: 300))"}"#),
                ("VolumeDriver.Mount", #"{"Name":"../../etc","ID":"1"}"#),
                ("VolumeDriver.Create", #"{"Name":"ok1","Opts":{"uid":"-1"}}"#),
                ("Nope.Endpoint", "{}"),
            ]
            for (endpoint, body) in cases {
                let out = try raw("n1", endpoint, body)
                #expect(out.stdout.contains(#""Err":"brickctl: "#), "\(endpoint) \(body.prefix(40)): \(out.stdout)")
            }
            // A 10 MB body.
            let big = try lab.exec(
                "n1",
                [
                    "sh", "-c",
                    "head -c 10000000 /dev/zero | tr '\\0' x | curl -s -m 20 --unix-socket /run/docker/plugins/brickctl.sock -X POST --data-binary @- http://plugin/VolumeDriver.Create",
                ])
            #expect(big.stdout.contains("larger than"), "\(big.stdout)")
            #expect(try raw("n1", "Plugin.Activate", "").stdout.contains("VolumeDriver"), "still serving")
            let volumes = try lab.exec("n1", ["ls", "-A", "\(brick)/\(gluster)/brickctl/volumes"]).stdout.split(
                separator: "\n")
            #expect(
                !volumes.contains { $0 == ".." || $0 == "a" || $0.hasPrefix("nnn") || $0 == "ok1" },
                "\(volumes.joined(separator: " "))")
            #expect(try lab.exec("n1", ["test", "-e", "/etc/brickctl-volumes"]).status != 0)
        }

        @Test func aDeadGlusterServerDoesNotStopThePluginAnswering() throws {
            let socket = "/run/brickctl-test-dead.sock"
            let started = monotonicSeconds()
            let plugin = try Command(
                lab.script,
                [
                    "exec", "n2", Fixtures.brickctl, "plugin", "serve", "--socket", socket, "--state-dir",
                    "/run/brickctl-plugin-test-3",
                    "--servers", "10.111.141.99", "--volume", "nowhere",
                ], environment: ["LAB_ID": Lab.id]
            ).spawn(stdout: .null, stderr: .null)
            defer {
                plugin.terminate()
                _ = try? lab.exec("n2", ["rm", "-rf", "/run/brickctl-plugin-test-3", socket])
            }
            var list = Command.Output(status: 1, stdout: "", stderr: "")
            while list.stdout.isEmpty && monotonicSeconds() - started < 10 {
                usleep(50_000)
                list = try raw("n2", "VolumeDriver.List", "{}", socket: socket)
            }
            #expect(list.stdout == #"{"Err":"","Volumes":[]}"#)
            let create = try raw("n2", "VolumeDriver.Create", #"{"Name":"x"}"#, socket: socket)
            #expect(create.stdout.contains("Err"), "a create fails with a message instead of hanging: \(create.stdout)")
        }

        @Test func aStaleFuseMountIsRemounted() throws {
            #expect(try docker("n1", ["volume", "create", "-d", "brickctl", "stale"]).status == 0)
            #expect(
                try docker("n1", ["run", "--rm", "-v", "stale:/d", "busybox:lab", "touch", "/d/before"]).status == 0)
            // Kill the glusterfs client behind the plugin's FUSE mount: the mount point answers ENOTCONN.
            let mountPoint = "\(stateDir)/mounts/\(gluster)"
            let pids = try lab.exec("n1", ["pgrep", "-f", "glusterfs.*\(mountPoint)$"]).stdout.split(separator: "\n")
                .compactMap { Int32($0) }
            try #require(!pids.isEmpty, "no glusterfs client for \(mountPoint)")
            for pid in pids { kill(pid, SIGKILL) }
            let deadline = monotonicSeconds() + 10
            while try lab.exec("n1", ["stat", mountPoint]).status == 0 {
                try #require(monotonicSeconds() < deadline, "the mount did not go stale")
                usleep(50_000)
            }
            let again = try docker("n1", ["run", "--rm", "-v", "stale:/d", "busybox:lab", "ls", "/d"])
            #expect(again.status == 0 && again.stdout == "before\n", "remounted: \(again.stderr)")
            #expect(try lab.exec("n1", ["findmnt", "-n", "-o", "FSTYPE", mountPoint]).stdout == "fuse.glusterfs\n")
        }

        @Test func volumesSurviveADockerdRestart() throws {
            #expect(try docker("n2", ["volume", "create", "-d", "brickctl", "durable"]).status == 0)
            #expect(
                try docker("n2", ["run", "--rm", "-v", "durable:/d", "busybox:lab", "touch", "/d/file"]).status == 0)
            // Restart n2's dockerd with the arguments it runs with: at start it asks the plugin
            // (Get) about every volume it knows, and forgets one on an error.
            let pid = try lab.exec("n2", ["cat", "/run/docker.pid"]).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines)
            let pidNumber = try #require(Int32(pid))
            let argv = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8).split(separator: "\0").map(
                String.init)
            try #require(argv.first?.hasSuffix("dockerd") == true, "\(argv)")
            #expect(kill(pidNumber, SIGTERM) == 0)
            var deadline = monotonicSeconds() + 30
            while kill(pidNumber, 0) == 0,
                (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z ") != true
            {
                try #require(monotonicSeconds() < deadline, "dockerd did not stop within 30 s")
                usleep(100_000)
            }
            let log = "/var/lib/brickctl-lab-\(Lab.id)/n2/dockerd.log"
            #expect(
                try lab.exec("n2", ["sh", "-c", "setsid -f \"$@\" </dev/null >>\(log) 2>&1", "sh"] + argv).status == 0)
            deadline = monotonicSeconds() + 60
            while try docker("n2", ["info"]).status != 0 {
                try #require(monotonicSeconds() < deadline, "dockerd did not come back within 60 s")
                usleep(200_000)
            }
            #expect(try docker("n2", ["volume", "ls", "-q"]).stdout.split(separator: "\n").contains("durable"))
            let read = try docker("n2", ["run", "--rm", "-v", "durable:/d", "busybox:lab", "ls", "/d"])
            #expect(read.stdout == "file\n", "\(read.stderr)")
        }

        @Test func statusShowsMountsAndHolders() throws {
            #expect(try docker("n1", ["volume", "create", "-d", "brickctl", "shown"]).status == 0)
            let long = try docker("n1", ["run", "-d", "-v", "shown:/d", "busybox:lab", "sleep", "600"])
            let id = long.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            defer { _ = try? docker("n1", ["rm", "-f", id]) }
            let status = try lab.brickctl(
                "n1", ["plugin", "status", "--json", "--state-dir", stateDir, "--volume", gluster])
            #expect(status.status == 0, "\(status.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            let mounts = json?["mounts"] as? [[String: Any]] ?? []
            #expect(
                mounts.contains { $0["glusterVolume"] as? String == gluster && $0["health"] as? String == "mounted" },
                "\(status.stdout)")
            let volumes = json?["volumes"] as? [[String: Any]] ?? []
            let shown = volumes.first { $0["name"] as? String == "shown" }
            #expect((shown?["holders"] as? [String: Int])?.values.reduce(0, +) == 1, "\(status.stdout)")
        }
    }
}

/// The lab of the plugin tests, set up once per test process: a replica 2 Gluster volume on n1+n2
/// (web profile), a busybox image and `brickctl plugin serve` in n1 and n2, each beside its node's
/// dockerd. Torn down with the lab (every process of the nodes ends there).
final class PluginLab: @unchecked Sendable {
    /// Inside each node: /run is the node's own, so the two plugins never share state.
    static let stateDir = "/run/brickctl-plugin-test"
    static let localRoot = "/data/glusterfs/brick1/local"
    let lab: Lab
    let gluster: String
    private var plugins: [String: ChildProcess] = [:]
    private let lock = NSLock()
    nonisolated(unsafe) private static var instance: PluginLab?
    private static let instanceLock = NSLock()

    static func shared() throws -> PluginLab {
        try instanceLock.withLock {
            if let instance { return instance }
            let made = try PluginLab(lab: try Lab.shared())
            instance = made
            return made
        }
    }

    private init(lab: Lab) throws {
        self.lab = lab
        gluster = lab.volumeName("pv")
        let probe = try lab.brickctl("n1", ["peer", "probe", "n2", "n3"])
        try #require(probe.status == 0, "peer probe: \(probe.stderr)")
        let create = try lab.brickctl(
            "n1", ["volume", "create", gluster, "--replica", "2", "--hosts", "n1,n2", "--profile", "web"])
        try #require(create.status == 0, "volume create: \(create.stderr)")
        try #require(try lab.brickctl("n1", ["volume", "start", gluster]).status == 0)
        for node in ["n1", "n2"] {
            try importBusybox(node)
            try startPlugin(node)
        }
    }

    /// A busybox image made from the host's static busybox (no registry here).
    func importBusybox(_ node: String) throws {
        if try lab.exec(node, ["/usr/bin/docker", "image", "inspect", "busybox:lab"]).status == 0 { return }
        let dir = try Fixtures.directory("busybox")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: "\(dir)/bin/busybox")
        for applet in ["sh", "cat", "echo", "ls", "sleep", "stat", "id", "touch", "mkdir", "test"] {
            try FileManager.default.createSymbolicLink(atPath: "\(dir)/bin/\(applet)", withDestinationPath: "busybox")
        }
        let out = try lab.exec(
            node, ["sh", "-c", "tar -C \"$1\" -c . | /usr/bin/docker import - busybox:lab", "sh", dir])
        try #require(out.status == 0, "docker import: \(out.stderr)")
    }

    func startPlugin(_ node: String) throws {
        lock.withLock { plugins[node] }?.terminate()
        // Its messages go to /run/brickctl-plugin-test.log in the node (the host path is in the lab's state dir).
        // `lab exec` runs the command as a child of its own: the plugin's real pid comes from a file.
        _ = try lab.exec(node, ["rm", "-f", "/run/brickctl-plugin-test.pid"])
        let plugin = try Command(
            lab.script,
            [
                "exec", node, "sh", "-c",
                "echo $$ >/run/brickctl-plugin-test.pid; exec \"$@\" 2>>/run/brickctl-plugin-test.log", "sh",
                Fixtures.brickctl, "plugin", "serve", "--servers", "n1,n2", "--volume", gluster,
                "--state-dir", Self.stateDir, "--local-root", Self.localRoot,
            ], environment: ["LAB_ID": Lab.id]
        )
        .spawn(stdout: .null, stderr: .null)
        lock.withLock { plugins[node] = plugin }
        // Listening within 1 s of start is the promise; allow 10 s on a loaded machine.
        let deadline = monotonicSeconds() + 10
        while !(try raw(node, "Plugin.Activate", "").stdout.contains("VolumeDriver")) {
            if monotonicSeconds() >= deadline {
                let log = (try? lab.exec(node, ["tail", "-5", "/run/brickctl-plugin-test.log"]).stdout) ?? ""
                let socket = (try? lab.exec(node, ["ls", "-l", "/run/docker/plugins"]).stdout) ?? ""
                try #require(
                    Bool(false), "the plugin on \(node) did not listen within 10 s; its log: \(log); \(socket)")
            }
            usleep(50_000)
        }
    }

    /// `kill -9` of the plugin process itself, and a bounded wait until it is gone.
    func killPlugin(_ node: String) throws {
        let pid = try lab.exec(node, ["cat", "/run/brickctl-plugin-test.pid"]).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let number = try #require(Int32(pid), "no plugin pid file in \(node)")
        #expect(kill(number, SIGKILL) == 0)
        let deadline = monotonicSeconds() + 10
        while kill(number, 0) == 0,
            (try? String(contentsOfFile: "/proc/\(number)/stat", encoding: .utf8))?.contains(") Z ") != true
        {
            try #require(monotonicSeconds() < deadline, "the plugin \(number) did not die within 10 s of SIGKILL")
            usleep(20_000)
        }
        try lock.withLock { plugins[node] }?.wait(timeout: 10)
    }

    /// A raw request on the plugin socket of `node`.
    func raw(_ node: String, _ endpoint: String, _ body: String, socket: String = "/run/docker/plugins/brickctl.sock")
        throws -> Command.Output
    {
        try lab.exec(
            node,
            [
                "curl", "-s", "-m", "5", "--unix-socket", socket, "-X", "POST", "--data-binary", "@-",
                "http://plugin/\(endpoint)",
            ], input: body)
    }
}
