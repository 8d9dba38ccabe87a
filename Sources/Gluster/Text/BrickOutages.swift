public import Foundation

/// Since when each brick of a volume has been offline, as the self-heal daemon of this host saw
/// it: its log (`/var/log/glusterfs/glustershd.log`) says when its client for brick N
/// (`VOLUME-client-N`, N = the brick's place in `volume info`) disconnected (MSGID 114018, repeated
/// on every retry) and when it connected (MSGID 114046). Pure.
///
/// glusterd keeps no such time; the log starts when glustershd last started, so a brick offline
/// since before that shows the daemon's start ("at least since").
public enum BrickOutages {
    /// Brick index → the first disconnect after its last connect, for the bricks still
    /// disconnected at the end of `log`.
    public static func parse(log: String, volume: String) -> [Int: Date] {
        var since: [Int: Date] = [:]
        let marker = "-\(volume)-client-"
        for line in log.split(separator: "\n") {
            guard line.hasPrefix("["), let range = line.range(of: marker) else { continue }
            // "… 0-gv0-client-2: …": the graph number before the marker, the index after it.
            let digits = line[range.upperBound...].prefix { $0.isNumber }
            guard let index = Int(digits), line[range.upperBound...].dropFirst(digits.count).hasPrefix(":") else {
                continue
            }
            let connected = line.contains("[MSGID: 114046]")
            let disconnected = line.contains("[MSGID: 114018]")
            guard connected || disconnected, let time = timestamp(line) else { continue }
            if connected {
                since[index] = nil
            } else if since[index] == nil {
                since[index] = time
            }
        }
        return since
    }

    /// "[2026-12-07 00:56:00.854509 +0000] …" → the date (UTC).
    static func timestamp(_ line: Substring) -> Date? {
        guard let close = line.firstIndex(of: "]") else { return nil }
        let text = line[line.index(after: line.startIndex)..<close]
        // "2026-12-07 00:56:00.854509 +0000"
        let parts = text.split(separator: " ")
        guard parts.count >= 2 else { return nil }
        let day = parts[0].split(separator: "-").compactMap { Int($0) }
        let clock = parts[1].split(separator: ":")
        guard day.count == 3, clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]),
            let second = Double(clock[2])
        else { return nil }
        var components = DateComponents()
        components.year = day[0]
        components.month = day[1]
        components.day = day[2]
        components.hour = hour
        components.minute = minute
        components.second = Int(second)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components).map { $0.addingTimeInterval(second - Double(Int(second))) }
    }

    /// The end of this host's self-heal daemon log (at most `limit` bytes); nil when unreadable.
    public static func readLog(path: String = "/var/log/glusterfs/glustershd.log", limit: Int = 4 << 20) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd() else { return nil }
        try? handle.seek(toOffset: size > UInt64(limit) ? size - UInt64(limit) : 0)
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
