public import Foundation
import Glibc
import HostIO

extension PluginActivity {
    /// Asks the plugin listening on the unix socket `socket` for its activity
    /// (`GET /Brickctl.Metrics`). Blocking, at most about `timeout` seconds.
    ///
    /// The corresponding C functions are `socket`, `connect`, `send`, `recv` (with `SO_RCVTIMEO`).
    /// - Returns: nil when nothing listens there, it does not answer in time, or the answer is not
    ///   a plugin's activity (an older plugin without the endpoint).
    public static func fetch(socket path: String, timeout: Double = 5) -> PluginActivity? {
        guard let fd = ConnectedSocket.toUnixPath(path, timeoutSeconds: timeout) else { return nil }
        defer { close(fd) }
        let request = Array(
            "GET \(PluginServer.metricsPath) HTTP/1.1\r\nHost: plugin\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count
        else { return nil }
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var answer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while ContinuousClock.now < deadline, answer.count < 4 << 20 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            answer += chunk[0..<n]
            if let body = Self.body(ofResponse: answer) {
                return try? JSONDecoder().decode(PluginActivity.self, from: body)
            }
        }
        return Self.body(ofResponse: answer).flatMap { try? JSONDecoder().decode(PluginActivity.self, from: $0) }
    }

    /// The body of a complete `200` HTTP/1.1 response with a Content-Length; nil while incomplete or
    /// for any other status.
    static func body(ofResponse bytes: [UInt8]) -> Data? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4,
            let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator })
        else { return nil }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).lowercased()
        let lines = head.split(separator: "\r\n")
        guard let status = lines.first, status.split(separator: " ").dropFirst().first == "200" else { return nil }
        let lengthLine = lines.first { $0.hasPrefix("content-length:") }
        guard
            let length = lengthLine.flatMap({
                Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
            })
        else { return nil }
        let bodyStart = end + 4
        guard bytes.count >= bodyStart + length else { return nil }
        return Data(bytes[bodyStart..<bodyStart + length])
    }
}
