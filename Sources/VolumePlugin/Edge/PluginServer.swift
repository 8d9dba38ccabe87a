import Foundation
import Glibc
import Gluster
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

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
        let router = Router(context: PluginRequestContext.self)
        router.middlewares.add(ErrorReplies())
        let driver = self.driver
        let logger = driver.logger
        let listening = OneShot()
        func route(
            _ path: String,
            _ handle: @escaping @Sendable (PluginRequest, PluginRequestContext) async throws -> PluginReply
        ) {
            router.post(RouterPath(path)) { request, context -> Response in
                let body: Data
                do {
                    let buffer = try await request.body.collect(upTo: PluginRequest.maxBody)
                    body = Data(buffer: buffer)
                } catch {
                    throw PluginError(.badRequest, "the request body is larger than \(PluginRequest.maxBody) bytes")
                }
                let started = ContinuousClock.now
                var name = ""
                do {
                    let call = try PluginRequest(body: body)
                    name = call.name.map { " \(VolumeName.printable(String($0.prefix(64))))" } ?? ""
                    let reply = try await handle(call, context)
                    PluginMetrics.shared.record(endpoint: path, duration: ContinuousClock.now - started, error: nil)
                    return Self.reply(reply)
                } catch {
                    PluginMetrics.shared.record(endpoint: path, duration: ContinuousClock.now - started, error: error)
                    // One line per refused or failed call, for the operator (journalctl -u brickctl-plugin).
                    logger.warning("\(path)\(name) after \(ContinuousClock.now - started): \(error)")
                    // A PluginError is answered by Hummingbird (`HTTPResponseError`); any other in its words.
                    if error is PluginError { throw error }
                    return Self.reply(PluginReply(error: error))
                }
            }
        }
        route("/Plugin.Activate") { _, _ in .activate }
        route("/VolumeDriver.Capabilities") { _, _ in .capabilities }
        route("/VolumeDriver.Create") { request, _ in
            try await driver.create(name: try request.validName(), options: request.options ?? [:])
            return .ok
        }
        route("/VolumeDriver.Remove") { request, _ in
            try await driver.remove(name: try request.validName())
            return .ok
        }
        route("/VolumeDriver.Mount") { request, context in
            let name = try request.validName()
            let id = try request.validID()
            let mountpoint = try await driver.mount(name: name, id: id)
            // Docker holds a mount only when it reads the answer: a Mount it saw fail (its own
            // timeout, a restart) gets no Unmount. So a Mount whose client is gone when the answer
            // is written is undone, as that Unmount would (the reference was saved before the
            // answer, as every answered call is). An Unmount, Create or Remove whose answer is lost
            // is safe to repeat, and Docker repeats them.
            let undo: @Sendable () -> Void = {
                Task {
                    let outcome: String
                    do {
                        try await driver.unmount(name: name, id: id)
                        outcome = "undone"
                    } catch {
                        outcome = "not undone: \(error)"
                    }
                    logger.warning(
                        "/VolumeDriver.Mount \(name): the client closed the connection before the answer to Mount \(id): \(outcome)"
                    )
                }
            }
            guard context.channel.isActive,
                let watch = try? await context.channel.pipeline.handler(type: AnswerWatch.self).get()
            else {
                undo()
                throw PluginError(.clientGone, "the client closed the connection before the answer to Mount \(id)")
            }
            watch.arm(onLost: undo)
            return .mountpoint(mountpoint)
        }
        route("/VolumeDriver.Unmount") { request, _ in
            try await driver.unmount(name: try request.validName(), id: try request.validID())
            return .ok
        }
        route("/VolumeDriver.Path") { request, _ in
            let name = try request.validName()
            let state = driver.snapshot
            guard let volume = state.volumes[name] else { throw PluginError(.notFound, "no volume \(name)") }
            return .mountpoint(driver.describe(volume, in: state).mountpoint)
        }
        route("/VolumeDriver.Get") { request, _ in
            let name = try request.validName()
            let volume = try await driver.known(name)
            let description = driver.describe(volume, in: driver.snapshot)
            return .volume(
                .init(
                    name: name, mountpoint: description.mountpoint,
                    status: .init(volume, mounts: description.holders.values.reduce(0, +))))
        }
        route("/VolumeDriver.List") { _, _ in
            .volumes(await driver.list().map { .init(name: $0.name, mountpoint: $0.mountpoint) })
        }
        Self.addMetricsRoute(to: router)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [AnswerWatch()])),
            configuration: .init(address: .unixDomainSocket(path: socket), serverName: nil),
            onServerRunning: { _ in
                umask(previous)
                driver.warmUpList()
                listening.fire()
                ready?()
            },
            logger: logger
        )
        // One service group: SIGTERM/SIGINT shut the server down first (no new requests, those
        // under way finish), then the sweeper and the gfapi keeper.
        let services: [any Service] = [
            Housekeeping.gfapiKeeper(driver.shared.gfapi, idle: gfapiIdle, logger: logger),
            Housekeeping.idleMountSweeper(driver, idle: idleUnmount),
            DockerAnnouncer(socket: socket, pool: driver.pool, listening: listening) { line in logger.info("\(line)") },
            app,
        ]
        try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
            .run()
    }

    static func reply(_ reply: PluginReply, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: PluginReply.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.json)))
    }

    /// Turns every error that escapes a route (an unknown endpoint, a wrong method) into a
    /// `{"Err": ...}` reply, so Docker and people see a message, and the server stays up.
    struct ErrorReplies<Context: RequestContext>: RouterMiddleware {
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            do {
                return try await next(request, context)
            } catch let error as PluginError {
                throw error  // answered by Hummingbird (`HTTPResponseError`)
            } catch let error as HTTPError where error.status == .notFound {
                return PluginServer.reply(
                    PluginReply(
                        error: PluginError(
                            .badRequest,
                            "unknown endpoint \(request.method) \(request.uri.path): this is a Docker volume plugin (POST /VolumeDriver.*)"
                        )), status: .notFound)
            } catch {
                return PluginServer.reply(PluginReply(error: error), status: .badRequest)
            }
        }
    }
}

/// Hummingbird's basic request context plus the connection, so that a route can tell whether its
/// client is still there when the answer is ready.
struct PluginRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Tells a route whether its answer reached the client. One per connection, between the HTTP codec
/// and Hummingbird's handlers: once armed, the result of the next write (the answer's head; the
/// answer goes out in one writev) decides: a failed write (the client closed its end: EPIPE) runs
/// `onLost`, a written one disarms it. A client that only half-closes (shutdown of its sending
/// side) still reads the answer and keeps what it asked for.
final class AnswerWatch: ChannelOutboundHandler, RemovableChannelHandler, Sendable {
    typealias OutboundIn = Any
    typealias OutboundOut = Any

    private let armed = Mutex<(@Sendable () -> Void)?>(nil)

    func arm(onLost: @escaping @Sendable () -> Void) {
        armed.withLock { $0 = onLost }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard
            let onLost = armed.withLock({ armed in
                defer { armed = nil }
                return armed
            })
        else {
            context.write(data, promise: promise)
            return
        }
        let watched = promise ?? context.eventLoop.makePromise()
        watched.futureResult.whenFailure { _ in onLost() }
        context.write(data, promise: watched)
    }
}
