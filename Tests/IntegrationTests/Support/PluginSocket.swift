import Foundation
import Glibc

/// One HTTP request on a plugin's unix socket, as Docker sends it, with a deadline: what a raw
/// client of the socket sees (an answer, or none because the plugin died or never listened).
struct PluginSocket: Sendable {
    let path: String

    enum Outcome: Sendable, Equatable {
        /// The whole reply body (the JSON), with the HTTP status.
        case answered(status: Int, body: String)
        /// No complete reply: refused, reset, or closed before the body's last byte.
        case noAnswer(String)
    }

    /// POSTs `body` to `/ENDPOINT` (`VolumeDriver.Create`) on a new connection, `Connection: close`.
    func post(_ endpoint: String, _ body: String, timeout: Double = 10) -> Outcome {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .noAnswer("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return .noAnswer("path too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { return .noAnswer("connect: \(String(cString: strerror(errno)))") }
        let payload = Array(body.utf8)
        let request =
            Array(
                "POST /\(endpoint) HTTP/1.1\r\nHost: plugin\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n"
                    .utf8) + payload
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                return .noAnswer("send: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                return .noAnswer("recv: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            reply += chunk[0..<n]
        }
        return Self.parse(reply)
    }

    /// Status and body of a reply with a Content-Length; an incomplete one is no answer.
    static func parse(_ reply: [UInt8]) -> Outcome {
        let text = String(decoding: reply, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return .noAnswer("incomplete headers: \(text.prefix(80))") }
        let head = text[..<split.lowerBound].split(separator: "\r\n")
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        let length = head.dropFirst().compactMap { line -> Int? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
            return Int(parts[1].trimmingCharacters(in: .whitespaces))
        }.first
        let body = String(text[split.upperBound...])
        guard let length, body.utf8.count == length else {
            return .noAnswer("incomplete body (\(body.utf8.count) bytes of \(length.map(String.init) ?? "?"))")
        }
        return .answered(status: status, body: body)
    }

    /// The `Err` of an answered reply ("" on success), nil when not answered or not JSON.
    static func err(_ outcome: Outcome) -> String? {
        guard case .answered(_, let body) = outcome,
            let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        else { return nil }
        return json["Err"] as? String
    }

    /// The parsed JSON of an answered reply.
    static func json(_ outcome: Outcome) -> [String: Any]? {
        guard case .answered(_, let body) = outcome else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    }
}
