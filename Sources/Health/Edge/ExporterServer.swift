public import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Where the exporter listens: `ADDR:PORT`, `:PORT` (every IPv4 address) or `[IPv6]:PORT`.
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    public static let defaultPort = 9713
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// nil when `text` is not `[ADDR]:PORT` with a port in 1...65535.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        guard !host.contains(" ") else { return nil }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why the exporter could not listen.
public struct ExporterError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Another process listens on the port (EADDRINUSE).
        case addressInUse = "address-in-use"
        /// The address is not one of this host's (EADDRNOTAVAIL), or another bind error.
        case cannotListen = "cannot-listen"
    }

    public var code: Code
    public var address: ListenAddress
    /// The system's own text.
    public var detail: String

    public var description: String { "\(code.rawValue) \(address): \(detail)" }
}

/// `brickctl exporter`: Prometheus's text format on `GET /metrics` over HTTP (TCP), answered by a
/// `ScrapeCache`.
public struct ExporterServer: Sendable {
    public let address: ListenAddress
    public let cache: ScrapeCache

    public init(address: ListenAddress, cache: ScrapeCache) {
        self.address = address
        self.cache = cache
    }

    /// Serves until SIGTERM/SIGINT.
    /// - Throws: `ExporterError` when it cannot listen (nothing was started then).
    public func run(ready: (@Sendable (ListenAddress) -> Void)? = nil) async throws {
        let router = Router()
        let cache = self.cache
        router.get("/metrics") { _, _ -> Response in
            let page = await cache.page()
            return Response(
                status: .ok, headers: [.contentType: MetricFamily.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        router.get("/") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "brickctl exporter: metrics at /metrics\n")))
        }
        let address = self.address
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                ready?(ListenAddress(host: address.host, port: port))
            }
        )
        do {
            try await ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
                .run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ExporterError(code: .addressInUse, address: address, detail: String(cString: strerror(EADDRINUSE)))
        } catch let error as IOError {
            throw ExporterError(code: .cannotListen, address: address, detail: "\(error)")
        } catch let error as ServiceGroupError {
            throw ExporterError(code: .cannotListen, address: address, detail: "\(error)")
        }
    }
}
