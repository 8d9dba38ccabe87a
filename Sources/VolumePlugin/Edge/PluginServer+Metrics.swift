import Foundation
import Hummingbird
import NIOCore

extension PluginServer {
    /// The path of the plugin's own status endpoint on its socket (Docker never asks it).
    public static let metricsPath = "/Brickctl.Metrics"

    /// `GET /Brickctl.Metrics`: the process's `PluginActivity` as JSON, for `brickctl exporter`.
    static func addMetricsRoute<Context: RequestContext>(to router: Router<Context>) {
        router.get(RouterPath(metricsPath)) { _, _ -> Response in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = (try? encoder.encode(PluginMetrics.shared.snapshot())) ?? Data("{}".utf8)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
