import Foundation
import HostIO
import ServiceLifecycle
import Synchronization

/// Makes dockerd list the plugin's driver as soon as the plugin serves, and again after dockerd
/// restarts (see `DockerPresence`): Swarm then places tasks that need the driver on this node with
/// no "use it once" step. Every `every` (every 5 s while it is not listed): `docker info` (is the
/// driver listed?), and when it is not, `docker volume ls` (dockerd scans the plugin folder and
/// keeps the driver). Each change of
/// state is logged once. The docker client is `BRICKCTL_DOCKER` or `docker` on PATH; without one,
/// or with the socket outside /run/docker/plugins, there is nothing to do.
struct DockerAnnouncer: Service {
    let driver: String
    let pool: BlockingPool
    let every: Duration
    let client: String
    let log: @Sendable (String) -> Void
    /// Resolved once the socket listens (dockerd scans for it when it lists volumes).
    let listening: OneShot

    init(
        socket: String, pool: BlockingPool, listening: OneShot, every: Duration = .seconds(30),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        log: @escaping @Sendable (String) -> Void
    ) {
        driver = DockerPresence.driverName(socket: socket) ?? ""
        self.pool = pool
        self.listening = listening
        self.every = every
        client = environment["BRICKCTL_DOCKER"].flatMap { $0.isEmpty ? nil : $0 } ?? "docker"
        self.log = log
    }

    /// Announces until graceful shutdown; returns only then (a service that ends would end the group).
    func run() async throws {
        await cancelWhenGracefulShutdown {
            await listening.wait()
            guard !Task.isCancelled, !driver.isEmpty else { return }
            guard (try? Command.resolve(client)) != nil else {
                log(
                    "no docker client (\(client)) to tell dockerd about the plugin: dockerd lists the driver only after its first use (install the docker client, or set BRICKCTL_DOCKER)"
                )
                return
            }
            var last: DockerPresence?
            while !Task.isCancelled {
                let (now, announced) = await presence()
                if now != last {
                    report(now)
                } else if announced && now == .listed {
                    log("dockerd had forgotten the volume driver \(driver) (restarted?): it lists it again")
                }
                last = now
                // Sooner while dockerd does not list it (starting after the plugin, at boot).
                try? await Task.sleep(for: now == .listed ? every : .seconds(5))
            }
        }
        try? await gracefulShutdown()
    }

    /// dockerd's view; when it does not list the driver, after a volume list (`announced`).
    func presence() async -> (DockerPresence, announced: Bool) {
        let seen = await ask(["info", "--format", "{{json .Plugins.Volume}}"])
        guard seen == .unlisted else { return (seen, false) }
        _ = await run(["volume", "ls", "-q"], timeout: 60)
        return (await ask(["info", "--format", "{{json .Plugins.Volume}}"]), true)
    }

    private func ask(_ arguments: [String]) async -> DockerPresence {
        guard let out = await run(arguments, timeout: 20) else { return .dockerdUnreachable("docker info timed out") }
        return DockerPresence(status: out.status, stdout: out.stdout, stderr: out.stderr, driver: driver)
    }

    private func run(_ arguments: [String], timeout: Double) async -> Command.Output? {
        let command = Command(client, arguments)
        return try? await pool.run("docker \(arguments[0])", seconds: timeout + 5) {
            try command.run(timeout: timeout)
        }
    }

    private func report(_ presence: DockerPresence) {
        switch presence {
        case .listed:
            log("dockerd lists the volume driver \(driver): Swarm places tasks that need it on this node")
        case .unlisted:
            log("dockerd does not list the volume driver \(driver) even after a volume list; trying again every 5 s")
        case .dockerdUnreachable(let why):
            log("dockerd does not answer (\(why)); telling it about the plugin once it does")
        }
    }
}

/// An event that happens once (the server listening); waiters before and after it are resumed.
final class OneShot: Sendable {
    private let state = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func fire() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.done = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once `fire()` ran, or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.done { return true }
                    s.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            fire()
        }
    }
}
