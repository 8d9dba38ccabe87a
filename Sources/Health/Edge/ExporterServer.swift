public import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
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

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why the exporter could not listen.
public struct ExporterError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Another process listens on the port (EADDRINUSE).
        case addressInUse = "address-in-use"
        /// The address is not one of this host's (EADDRNOTAVAIL), or another bind error.
        case cannotListen = "cannot-listen"
        /// `--tls`: the certificate or its key cannot be read (detail: which file and why).
        case tlsFiles = "tls-files"
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
    /// The certificate (PEM, this host's, signed by the pool CA: `brickctl tls issue HOST`) and its key.
    public struct TLSFiles: Hashable, Sendable {
        public var certificate: String
        public var key: String

        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    public let address: ListenAddress
    public let cache: ScrapeCache
    /// nil: plain HTTP.
    public let tls: TLSFiles?

    public init(address: ListenAddress, cache: ScrapeCache, tls: TLSFiles? = nil) {
        self.address = address
        self.cache = cache
        self.tls = tls
    }

    /// The server side of TLS from `files` (read before anything listens).
    /// - Throws: `ExporterError` (`tls-files`) naming the file that cannot be read.
    static func tlsConfiguration(_ files: TLSFiles, address: ListenAddress) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw ExporterError(code: .tlsFiles, address: address, detail: "\(files.certificate): \(error)")
        }
        guard !chain.isEmpty else {
            throw ExporterError(code: .tlsFiles, address: address, detail: "\(files.certificate): no certificate in it")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        } catch {
            throw ExporterError(code: .tlsFiles, address: address, detail: "\(files.key): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
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
        let configuration = ApplicationConfiguration(
            address: .hostname(address.host, port: address.port), serverName: nil)
        let onServerRunning: @Sendable (any Channel) async -> Void = { channel in
            let port = channel.localAddress?.port ?? address.port
            ready?(ListenAddress(host: address.host, port: port))
        }
        let service: any Service
        if let tls {
            service = Application(
                router: router,
                server: try .tls(.http1(), tlsConfiguration: Self.tlsConfiguration(tls, address: address)),
                configuration: configuration, onServerRunning: onServerRunning)
        } else {
            service = Application(router: router, configuration: configuration, onServerRunning: onServerRunning)
        }
        do {
            try await ServiceGroup(
                services: [service], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "brickctl-exporter")
            )
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

extension ListenAddress {
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
}
