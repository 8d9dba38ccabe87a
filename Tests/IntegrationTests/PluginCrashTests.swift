import Foundation
import HostIO
import Synchronization
import Testing

extension Integration {
    /// The real `brickctl plugin serve` (local volumes on a prepared loop disk, no Gluster) killed
    /// with SIGKILL in the middle of a stream of Create, Mount, Unmount and Remove requests on its
    /// raw socket, restarted, and asked (List, Get) whether every answered request is reflected.
    @Suite struct PluginCrashTests {
        /// BRICKCTL_CRASH_ROUNDS=N for a longer hunt (4 in CI: ~5 s).
        let rounds = Int(ProcessInfo.processInfo.environment["BRICKCTL_CRASH_ROUNDS"] ?? "") ?? 4

        @Test func everyAnsweredRequestSurvivesKill9() async throws {
            let rounds = self.rounds
            let pool = BlockingPool(threads: 1)
            let problems = try await pool.run("the kill -9 drill", seconds: 600) {
                try CrashDrill().run(rounds: rounds)
            }
            await pool.shutdown()
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
    }
}

/// What a client of the plugin knows it asked for and was answered: volumes and mount counts.
private struct ClientModel: Equatable, Sendable {
    var volumes: Set<String> = []
    /// volume → mount ID → Mounts answered minus Unmounts answered.
    var mounts: [String: [String: Int]] = [:]

    func count(_ volume: String) -> Int { mounts[volume]?.values.reduce(0, +) ?? 0 }

    enum Request: Sendable, CustomStringConvertible {
        case create(String)
        case remove(String)
        case mount(String, String)
        case unmount(String, String)
        var endpoint: String {
            switch self {
            case .create: "VolumeDriver.Create"
            case .remove: "VolumeDriver.Remove"
            case .mount: "VolumeDriver.Mount"
            case .unmount: "VolumeDriver.Unmount"
            }
        }
        var body: String {
            switch self {
            case .create(let name): #"{"Name":"\#(name)","Opts":{"type":"local"}}"#
            case .remove(let name): #"{"Name":"\#(name)"}"#
            case .mount(let name, let id), .unmount(let name, let id): #"{"Name":"\#(name)","ID":"\#(id)"}"#
            }
        }
        var description: String { "\(endpoint) \(body)" }
    }

    mutating func apply(_ request: Request) {
        switch request {
        case .create(let name): volumes.insert(name)
        case .remove(let name):
            volumes.remove(name)
            mounts[name] = nil
        case .mount(let name, let id): mounts[name, default: [:]][id, default: 0] += 1
        case .unmount(let name, let id):
            guard let n = mounts[name]?[id] else { return }
            mounts[name]?[id] = n > 1 ? n - 1 : nil
            if mounts[name]?.isEmpty == true { mounts[name] = nil }
        }
    }

    /// A request that must succeed in this state (Remove only of a volume nobody holds).
    func next(client: Int, serial: inout Int, mountsOnly: Bool, using random: inout some RandomNumberGenerator)
        -> Request
    {
        let held = mounts.flatMap { volume, ids in ids.keys.map { (volume, $0) } }.sorted { $0 < $1 }
        let free = volumes.filter { count($0) == 0 }.sorted()
        let roll = Int.random(in: 0..<100, using: &random)
        if mountsOnly {
            if roll < 45, let (name, id) = held.randomElement(using: &random) { return .unmount(name, id) }
            return .mount(volumes.sorted().randomElement(using: &random)!, "m\(Int.random(in: 0..<3, using: &random))")
        }
        if volumes.count < 3 || roll < 20 {
            serial += 1
            return .create("w\(client)-\(serial)")
        }
        if roll < 50, let (name, id) = held.randomElement(using: &random) { return .unmount(name, id) }
        if roll < 85 || free.isEmpty {
            return .mount(volumes.sorted().randomElement(using: &random)!, "m\(Int.random(in: 0..<3, using: &random))")
        }
        return .remove(free.randomElement(using: &random)!)
    }
}

/// The drill: a prepared loop disk as the local root, a state folder and socket in the scratch
/// folder, four clients, SIGKILL after a random number of answers, restart, compare; `rounds` times
/// on the same state.
private final class CrashDrill: @unchecked Sendable {
    let clients = 4
    var problems: [String] = []

    func run(rounds: Int) throws -> [String] {
        let host = try BrickHost()
        let disk = try LoopDisk()
        let prepared = try host.brickctl(["prepare", disk.path, "--json"])
        guard prepared.status == 0,
            let json = try JSONSerialization.jsonObject(with: Data(prepared.stdout.utf8)) as? [String: Any],
            let mountPoint = json["mountPoint"] as? String
        else { throw FixtureError("prepare failed: \(prepared.stderr)") }
        let dir = try Fixtures.directory("plugin-crash")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socket = PluginSocket(path: "\(dir)/plugin.sock")
        let arguments = [
            "plugin", "serve", "--socket", socket.path, "--state-dir", "\(dir)/state", "--local-root",
            "\(mountPoint)/local",
        ]
        var models = [ClientModel](repeating: ClientModel(), count: clients)
        var serials = [Int](repeating: 0, count: clients)
        var plugin = try start(arguments, socket)
        defer { _ = plugin.terminate(grace: 5) }
        var rng = SystemRandomNumberGenerator()
        for round in 1...rounds {
            // Round 2 follows a simulated reboot: the state file last written in another boot, no
            // references file (nothing is held after a reboot), and only Mounts and Unmounts, so
            // no volume change rewrites the state file: the Mounts answered must survive the kill.
            let afterReboot = round == 2
            if afterReboot {
                plugin.signal(SIGKILL)
                _ = try plugin.wait(timeout: 30)
                let stateFile = "\(dir)/state/state.json"
                let text = try String(contentsOfFile: stateFile, encoding: .utf8)
                let boot = try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                try text.replacingOccurrences(of: boot, with: "a-previous-boot").write(
                    toFile: stateFile, atomically: true, encoding: .utf8)
                try? FileManager.default.removeItem(atPath: "\(dir)/state/references.json")
                for client in 0..<clients { models[client].mounts = [:] }
                plugin = try start(arguments, socket)
            }
            let killAfter = Int.random(in: 40...160, using: &rng)
            let logs = stream(
                socket, models: models, serials: &serials, killAfter: killAfter, mountsOnly: afterReboot, plugin: plugin
            )
            plugin = try start(arguments, socket)
            let observed = try observe(socket)
            for client in 0..<clients {
                let log = logs[client]
                var answered = models[client]
                for request in log.answered { answered.apply(request) }
                var withPending = answered
                if let pending = log.pending { withPending.apply(pending) }
                let seen = observed.restricted(to: "w\(client)-")
                if seen.matches(answered) {
                    models[client] = answered
                } else if seen.matches(withPending) {
                    models[client] = withPending
                } else {
                    problems.append(
                        "round \(round), client \(client): after kill -9 the plugin shows \(seen.text); the answered requests promise \(answered.text)\(log.pending.map { " (or with the unanswered \($0): \(withPending.text))" } ?? ""); last answered: \(log.answered.suffix(3))"
                    )
                    models[client] = answered
                }
                if let error = log.error { problems.append("round \(round), client \(client): \(error)") }
            }
            var kinds: [String: Int] = [:]
            for request in logs.flatMap(\.answered) {
                kinds[request.endpoint.replacingOccurrences(of: "VolumeDriver.", with: ""), default: 0] += 1
            }
            print(
                "kill -9 drill round \(round)\(afterReboot ? " (after a simulated reboot)" : ""): killed after \(killAfter) answers (\(kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))), \(logs.filter { $0.pending != nil }.count) unanswered; \(observed.volumes.count) volumes after the restart"
            )
            if !problems.isEmpty { break }
            if logs.map(\.answered.count).reduce(0, +) < killAfter {
                problems.append("round \(round): fewer answers than \(killAfter) before the kill")
            }
        }
        return problems
    }

    /// Starts the plugin and waits (at most 30 s) until it answers Activate.
    func start(_ arguments: [String], _ socket: PluginSocket) throws -> ChildProcess {
        let child = try Command(Fixtures.brickctl, arguments).spawn(stdout: .null, stderr: .null)
        let deadline = monotonicSeconds() + 30
        var pause: useconds_t = 1000
        while SocketAnswer(socket.post("Plugin.Activate", "", timeout: 5)).body?.contains("VolumeDriver") != true {
            guard child.isRunning else { throw FixtureError("the plugin exited with \(child.exitStatus ?? -1)") }
            guard monotonicSeconds() < deadline else {
                _ = child.terminate()
                throw FixtureError("the plugin did not answer on \(socket.path) within 30 s")
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
        return child
    }

    struct ClientLog: Sendable {
        var answered: [ClientModel.Request] = []
        /// Sent and not answered: the plugin died under it (it may or may not have happened).
        var pending: ClientModel.Request?
        var error: String?
    }

    /// Runs the clients until the plugin dies; kills it (SIGKILL) once `killAfter` answers came.
    func stream(
        _ socket: PluginSocket, models: [ClientModel], serials: inout [Int], killAfter: Int, mountsOnly: Bool,
        plugin: ChildProcess
    ) -> [ClientLog] {
        let answers = Mutex(0)
        let running = Mutex(clients)
        let killed = NSCondition()
        @Sendable func wake() {
            killed.lock()
            killed.signal()
            killed.unlock()
        }
        let results = Mutex([ClientLog](repeating: ClientLog(), count: clients))
        let finalSerials = Mutex(serials)
        let done = DispatchGroup()
        for client in 0..<clients {
            done.enter()
            let start = (models[client], serials[client])
            Thread.detachNewThread {
                defer {
                    running.withLock { $0 -= 1 }
                    wake()
                    done.leave()
                }
                var (model, serial) = start
                var log = ClientLog()
                var rng = SystemRandomNumberGenerator()
                while true {
                    let request = model.next(client: client, serial: &serial, mountsOnly: mountsOnly, using: &rng)
                    let outcome = socket.post(request.endpoint, request.body, timeout: 60)
                    guard let err = PluginSocket.err(outcome) else {
                        log.pending = request
                        break
                    }
                    guard err.isEmpty else {
                        log.error = "\(request) was refused: \(err)"
                        break
                    }
                    model.apply(request)
                    log.answered.append(request)
                    let total = answers.withLock { n -> Int in
                        n += 1
                        return n
                    }
                    if total == killAfter { wake() }
                }
                results.withLock { $0[client] = log }
                finalSerials.withLock { $0[client] = serial }
            }
        }
        // The event: the killAfter-th answer, or every client stopped (or 120 s: too few answers).
        killed.lock()
        let deadline = Date().addingTimeInterval(120)
        while answers.withLock({ $0 }) < killAfter, running.withLock({ $0 }) > 0, killed.wait(until: deadline) {}
        killed.unlock()
        plugin.signal(SIGKILL)
        _ = try? plugin.wait(timeout: 30)
        if done.wait(timeout: .now() + 90) == .timedOut {
            problems.append("a client was still waiting 90 s after the plugin died")
        }
        serials = finalSerials.withLock { $0 }
        return results.withLock { $0 }
    }

    struct Observed {
        /// volume → mounts (Get's Status.mounts).
        var volumes: [String: Int] = [:]
        func restricted(to prefix: String) -> Observed {
            Observed(volumes: volumes.filter { $0.key.hasPrefix(prefix) })
        }
        func matches(_ model: ClientModel) -> Bool {
            Set(volumes.keys) == model.volumes && model.volumes.allSatisfy { volumes[$0] == model.count($0) }
        }
        var text: String { volumes.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ") }
    }

    /// Every volume the restarted plugin lists, with its mount count from Get.
    func observe(_ socket: PluginSocket) throws -> Observed {
        let list = socket.post("VolumeDriver.List", "{}")
        guard let volumes = PluginSocket.json(list)?["Volumes"] as? [[String: Any]] else {
            throw FixtureError("List after the restart: \(list)")
        }
        var observed = Observed()
        for name in volumes.compactMap({ $0["Name"] as? String }) {
            let get = socket.post("VolumeDriver.Get", #"{"Name":"\#(name)"}"#)
            let status = (PluginSocket.json(get)?["Volume"] as? [String: Any])?["Status"] as? [String: Any]
            guard let mounts = status?["mounts"] as? Int else { throw FixtureError("Get \(name): \(get)") }
            observed.volumes[name] = mounts
        }
        return observed
    }
}

extension ClientModel {
    var text: String { volumes.sorted().map { "\($0)×\(count($0))" }.joined(separator: " ") }
}

/// The body of an answered reply, for the readiness check.
private struct SocketAnswer {
    let body: String?
    init(_ outcome: PluginSocket.Outcome) {
        if case .answered(_, let body) = outcome { self.body = body } else { body = nil }
    }
}
