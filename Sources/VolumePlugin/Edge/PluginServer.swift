import Foundation
import Glibc
import Gluster
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `brickctl plugin serve`: Docker's volume plugin protocol over HTTP on a unix socket (mode 0600,
/// no TCP listener), answered by a `VolumeDriver`.
public struct PluginServer: Sendable {
    public let driver: VolumeDriver
    /// How long a FUSE mount nobody holds stays mounted (a restarting container finds it there).
    public let idleUnmount: Duration

    /// How long a gfapi connection no request used stays open.
    public let gfapiIdle: Duration

    public init(driver: VolumeDriver, idleUnmount: Duration = .seconds(30), gfapiIdle: Duration = .seconds(600)) {
        self.driver = driver
        self.idleUnmount = idleUnmount
        self.gfapiIdle = gfapiIdle
    }

    /// Serves until SIGTERM/SIGINT, then shuts down gracefully. FUSE mounts stay: containers keep
    /// using them.
    public func run(ready: (@Sendable () -> Void)? = nil) async throws {
        let socket = driver.configuration.socket
        try FileManager.default.createDirectory(
            atPath: (socket as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // The socket is made with mode 0600 (root only) from the start: no window after bind.
        let previous = umask(0o177)
        let router = Router()
        router.middlewares.add(ErrorReplies())
        let driver = self.driver
        let listening = OneShot()
        func route(_ path: String, _ handle: @escaping @Sendable (PluginRequest) async throws -> Data) {
            router.post(RouterPath(path)) { request, _ -> Response in
                let body: Data
                do {
                    let buffer = try await request.body.collect(upTo: PluginRequest.maxBody)
                    body = Data(buffer: buffer)
                } catch {
                    return Self.reply(
                        PluginReply.error(
                            PluginError(.badRequest, "the request body is larger than \(PluginRequest.maxBody) bytes")))
                }
                let started = ContinuousClock.now
                do {
                    let reply = Self.reply(try await handle(try PluginRequest(body: body)))
                    PluginMetrics.shared.record(endpoint: path, duration: ContinuousClock.now - started, error: nil)
                    return reply
                } catch {
                    PluginMetrics.shared.record(endpoint: path, duration: ContinuousClock.now - started, error: error)
                    // One line per refused or failed call, for the operator (journalctl -u brickctl-plugin).
                    let name =
                        (try? PluginRequest(body: body))?.name.map { " \(VolumeName.printable(String($0.prefix(64))))" }
                        ?? ""
                    FileHandle.standardError.write(
                        Data("brickctl plugin: \(path)\(name) after \(ContinuousClock.now - started): \(error)\n".utf8))
                    return Self.reply(PluginReply.error(error))
                }
            }
        }
        route("/Plugin.Activate") { _ in PluginReply.activate() }
        route("/VolumeDriver.Capabilities") { _ in PluginReply.capabilities() }
        route("/VolumeDriver.Create") { request in
            try await driver.create(name: try request.validName(), options: request.options ?? [:])
            return PluginReply.ok()
        }
        route("/VolumeDriver.Remove") { request in
            try await driver.remove(name: try request.validName())
            return PluginReply.ok()
        }
        route("/VolumeDriver.Mount") { request in
            PluginReply.mountpoint(try await driver.mount(name: try request.validName(), id: try request.validID()))
        }
        route("/VolumeDriver.Unmount") { request in
            try await driver.unmount(name: try request.validName(), id: try request.validID())
            return PluginReply.ok()
        }
        route("/VolumeDriver.Path") { request in
            let name = try request.validName()
            let state = driver.snapshot
            guard let volume = state.volumes[name] else { throw PluginError(.notFound, "no volume \(name)") }
            return PluginReply.mountpoint(driver.describe(volume, in: state).mountpoint)
        }
        route("/VolumeDriver.Get") { request in
            let name = try request.validName()
            let volume = try await driver.known(name)
            let description = driver.describe(volume, in: driver.snapshot)
            var status: [String: Any] = [
                "type": volume.kind.rawValue, "options": volume.optionsText,
                "mounts": description.holders.values.reduce(0, +),
                "createdOn": volume.createdOn,
            ]
            if let gluster = volume.glusterVolume {
                status["glusterVolume"] = gluster
                status["directory"] = volume.glusterDirectory
            }
            if let size = volume.size { status["size"] = size }
            return PluginReply.get(name: name, mountpoint: description.mountpoint, status: status)
        }
        route("/VolumeDriver.List") { _ in
            PluginReply.list(await driver.list())
        }
        Self.addMetricsRoute(to: router)
        let app = Application(
            router: router,
            configuration: .init(address: .unixDomainSocket(path: socket), serverName: nil),
            onServerRunning: { _ in
                umask(previous)
                driver.warmUpList()
                listening.fire()
                ready?()
            }
        )
        // One service group: SIGTERM/SIGINT shut the server down first (no new requests, those
        // under way finish), then the sweeper and the gfapi keeper.
        let services: [any Service] = [
            Housekeeping.gfapiKeeper(driver.gfapi, pool: driver.pool, idle: gfapiIdle),
            Housekeeping.idleMountSweeper(driver, idle: idleUnmount),
            DockerAnnouncer(socket: socket, pool: driver.pool, listening: listening) { line in
                FileHandle.standardError.write(Data("brickctl plugin: \(line)\n".utf8))
            },
            app,
        ]
        try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
            .run()
    }

    static func reply(_ data: Data) -> Response {
        Response(
            status: .ok, headers: [.contentType: PluginReply.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Turns every error that escapes a route (an unknown endpoint, a wrong method) into a
    /// `{"Err": ...}` reply, so Docker and people see a message, and the server stays up.
    struct ErrorReplies<Context: RequestContext>: RouterMiddleware {
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            do {
                return try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound {
                var response = PluginServer.reply(
                    PluginReply.error(
                        PluginError(
                            .badRequest,
                            "unknown endpoint \(request.method) \(request.uri.path): this is a Docker volume plugin (POST /VolumeDriver.*)"
                        )))
                response.status = .notFound
                return response
            } catch {
                var response = PluginServer.reply(PluginReply.error(error))
                response.status = .badRequest
                return response
            }
        }
    }
}
