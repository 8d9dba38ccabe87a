import Foundation
import Glibc
import HostIO

/// One HTTP/1.0 GET over a TCP socket, with a deadline: the status code, nil when nothing answered.
/// (`stack restore` waits until the site answers through its proxy.)
enum HTTPProbe {
    static func status(host: String, port: Int, path: String, timeoutSeconds: Int = 5) -> Int? {
        get(host: host, port: port, path: path, timeoutSeconds: timeoutSeconds, limit: 512)?.status
    }

    /// The status and up to `limit` bytes of the answer (headers and body), nil when nothing answered.
    static func get(host: String, port: Int, path: String, timeoutSeconds: Int = 5, limit: Int = 1 << 20)
        -> (status: Int?, text: String)?
    {
        guard
            let fd = ConnectedSocket.toHost(
                host, port: port, family: AF_INET, type: SOCK_STREAM, timeoutSeconds: Double(timeoutSeconds))
        else { return nil }
        defer { close(fd) }
        // The port in Host: WordPress redirects a request for another port to its own URL.
        let authority = port == 80 ? host : "\(host):\(port)"
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(authority)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count
        else { return nil }
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        var buffer = [UInt8](repeating: 0, count: 16384)
        while received.count < limit && ContinuousClock.now < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, limit - received.count), 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        guard received.count > 12 else { return nil }
        let text = String(decoding: received, as: UTF8.self)
        let line = text.split(separator: "\r\n").first ?? ""
        let parts = line.split(separator: " ")
        return (parts.count >= 2 ? Int(parts[1]) : nil, text)
    }
}
