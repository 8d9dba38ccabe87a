import Foundation
import HostIO
import Synchronization
import Testing

extension Integration.StackDeployTests {
    /// Issue 12 item 5, on the stack `stackDeployRunsTheRecipeOnTheSwarm` deployed: WordPress
    /// installed through its web installer, then one WordPress node that also holds a brick (n4)
    /// is cut off the network while clients keep requesting pages and a media file through the
    /// proxy. During the outage a second file is uploaded through the surviving replica; then the
    /// node comes back, the volume heals (`brickctl volume heal`), and every brick must hold the
    /// same files with the same bytes.
    ///
    /// The cut: n4's veth is set down on the switch side (`ip -n brickctl-LAB-sw link set n4 down`).
    /// That is what pulling n4's cable does: n4's eth0 loses its carrier, and the other nodes get
    /// no reset, no ICMP, nothing: their packets to n4 just vanish, so every peer must find out by
    /// its own timeouts (Gluster's ping-timeout, HAProxy's health checks, Swarm's heartbeats).
    /// Dropping packets with a firewall rule would leave the carrier up (a dead switch port, not a
    /// pulled cable); stopping the node's processes would send resets (a crash, not a partition).
    ///
    /// Two clients run at a steady rate (every 200 ms, 2 s timeout each): a new visitor each time
    /// (no cookie: HAProxy's round robin over both replicas, so it also sees how long HAProxy keeps
    /// sending requests to the lost node), and one pinned to the surviving replica by its SERVERID
    /// cookie (it sees only how long the surviving replica itself stalls, e.g. on Gluster). Their
    /// longest gaps between two answers (HTTP 200) and failed requests are printed in one
    /// `NODE-FAILURE:` line; the test asserts that the site answered during the outage and after
    /// it, not how fast (no timed assertions), and that the return cost no failed request
    /// (issue 22 item 5): no request started after the link came back failed (an error, or no
    /// page within 10 s), while n4's new WordPress task started, joined the proxy and took its
    /// share of visitors. The cut itself costs what Gluster's and HAProxy's timeouts cost.
    func nodeFailure(site: WordPressSite) throws {
        let cut = "n4"
        let survivor = "n3"
        let brickNodes = ["n2", "n3", "n4"]
        let brick = "/data/glusterfs/brick1/brick/\(Self.volume)"

        // WordPress (installed before the coherence drill): both replicas answer behind the proxy.
        let cookies = try lab.waitFor("both WordPress replicas behind the proxy (two SERVERID cookies)", seconds: 60) {
            () -> Set<String>? in
            var seen: Set<String> = []
            for _ in 0..<12 {
                if let cookie = try site.serverCookie() { seen.insert(cookie) }
            }
            return seen.count == 2 ? seen : nil
        }
        // Which cookie is the survivor's: a marked request shows up in that replica's access log.
        let survivorContainer = try #require(try lab.container(of: "\(Self.stack)_wordpress", on: survivor))
        var survivorCookie: String?
        for cookie in cookies {
            let marker = "probe-\(cookie)"
            _ = try site.get("/wp-includes/images/blank.gif?\(marker)", cookie: cookie)
            let logs = try lab.docker(survivor, ["logs", "--tail", "200", survivorContainer])
            if (logs.stdout + logs.stderr).contains(marker) { survivorCookie = cookie }
        }
        let pinned = try #require(
            survivorCookie, "no SERVERID cookie reaches \(survivor)'s replica (cookies \(cookies))")

        // Upload 1, before the outage, logged in through the proxy.
        let session = try site.logIn()
        defer { site.endSession(session) }
        let before = try site.upload(
            session: session, name: "before-outage.txt", content: "uploaded before n4 was cut off \(UUID())\n")
        #expect(try site.get(before.path).body == before.content, "upload 1 read back")

        // Clients at a steady rate; the cut; upload 2 through the surviving replica.
        // Three paths over two round-robin replicas: each replica gets pages and the file.
        let visitor = SteadyClient(site: site, paths: ["/", "/", before.path], cookie: nil)
        let pinnedClient = SteadyClient(site: site, paths: ["/", before.path], cookie: pinned)
        visitor.start()
        pinnedClient.start()
        var linkIsDown = false
        defer {
            if linkIsDown { _ = try? setLink(cut, up: true) }
            visitor.stop()
            pinnedClient.stop()
        }
        Thread.sleep(forTimeInterval: 4)
        let cutWallClock = Date()
        try setLink(cut, up: false)
        linkIsDown = true
        let cutAt = ContinuousClock.now

        // The site answers again during the outage (a deadline, not an assertion on the time).
        try lab.waitFor("the site answering again while \(cut) is cut off", seconds: 120) { () -> Bool? in
            visitor.successes(after: cutAt) >= 5 ? true : nil
        }
        let during = try lab.waitFor("upload 2 through the surviving replica while \(cut) is cut off", seconds: 90) {
            () -> Upload? in
            let session = try site.logIn()
            defer { site.endSession(session) }
            return try? site.upload(
                session: session, name: "during-outage.txt", content: "uploaded while n4 was cut off \(UUID())\n")
        }
        // Upload 2 is on the bricks of n2 and n3 and cannot be on n4's, which is unreachable.
        let brickPath = "\(brick)/brickctl/volumes/\(Self.stack)_wp-content/\(during.relativePath)"
        for node in ["n2", "n3"] {
            #expect(try lab.exec(node, ["cat", brickPath]).stdout == during.content, "upload 2 on \(node)'s brick")
        }
        #expect(!(try lab.exec(cut, ["test", "-e", brickPath]).succeeded), "upload 2 on the cut-off node's brick")
        Thread.sleep(forTimeInterval: 5)  // the site keeps answering with n4 gone
        let outage = ContinuousClock.now - cutAt
        try setLink(cut, up: true)
        linkIsDown = false
        let restoredAt = ContinuousClock.now
        // After the return a failed page is an error or no page within 10 s (what a visitor
        // calls failed); pages slower than 2 s (a loaded 2-core machine) are counted apart.
        visitor.timeout = 10
        pinnedClient.timeout = 10

        // Heal with brickctl, bounded: every brick connected, nothing left to heal.
        _ = try brickctl("n2", ["volume", "heal", Self.volume], timeout: 60)
        var lastHeal = ""
        do {
            try lab.waitFor("volume \(Self.volume) healed after \(cut) returned", seconds: 180) { () -> Bool? in
                let out = try brickctl("n2", ["volume", "heal", Self.volume, "--info", "--json"], timeout: 60)
                lastHeal = out.stdout + out.stderr
                guard out.succeeded,
                    let info = try? JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any],
                    let bricks = info["bricks"] as? [[String: Any]], bricks.count == 3
                else { return nil }
                let clean = bricks.allSatisfy {
                    ($0["status"] as? String) == "Connected" && ($0["entries"] as? Int) == 0
                }
                return clean ? true : nil
            }
        } catch {
            Issue.record("heal: \(error); last heal info: \(lastHeal)")
            throw error
        }
        let healTime = ContinuousClock.now - restoredAt

        // When n4's replica reaches the database again (Swarm's overlay network between n4 and
        // n2): measured, not asserted (a page of that replica waits for it).
        var databaseReachable = "not within 150 s"
        if let reached = try? lab.waitFor(
            "\(cut)'s replica reaching the database", seconds: 150,
            { () -> Duration? in
                guard let container = try lab.container(of: "\(Self.stack)_wordpress", on: cut) else { return nil }
                let probe = try lab.docker(
                    cut, ["exec", container, "timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/db/3306"], timeout: 10)
                return probe.succeeded ? ContinuousClock.now - restoredAt : nil
            })
        {
            databaseReachable = "+\(seconds(reached)) s"
        }
        print("node failure: \(cut)'s replica reaches the database (TCP db:3306) \(databaseReachable) after the return")

        // Both replicas serve both uploads again (Swarm may have restarted n4's task).
        let after = try lab.waitFor("both replicas behind the proxy after \(cut) returned", seconds: 150) {
            () -> Set<String>? in
            var seen: Set<String> = []
            for _ in 0..<12 {
                if let cookie = try site.serverCookie() { seen.insert(cookie) }
            }
            return seen.count == 2 ? seen : nil
        }
        let bothInAt = ContinuousClock.now
        // The new replica takes its share of visitors for a while (round robin) before the clients stop.
        try lab.waitFor("20 visitor answers with both replicas behind the proxy", seconds: 60) { () -> Bool? in
            visitor.successes(after: bothInAt) >= 20 ? true : nil
        }
        for cookie in after {
            for upload in [before, during] {
                let answer = try site.get(upload.path, cookie: cookie)
                #expect(
                    answer.status == 200 && answer.body == upload.content,
                    "\(upload.path) through replica \(cookie): \(answer.status ?? 0)")
            }
        }
        visitor.stop()
        pinnedClient.stop()

        // Every brick: the same files with the same bytes (sha256 of each file, .glusterfs left out).
        var listings: [String: [String: String]] = [:]
        var bytes = 0
        for node in brickNodes {
            let sums = try lab.exec(
                node,
                [
                    "find", brick, "-path", "\(brick)/.glusterfs", "-prune", "-o", "-type", "f", "-exec", "sha256sum",
                    "{}", "+",
                ], timeout: 60)
            try #require(sums.succeeded, "\(node): \(sums.stderr)")
            var files: [String: String] = [:]
            for line in sums.stdout.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else { continue }
                files[String(parts[1].trimmingCharacters(in: .whitespaces).dropFirst(brick.count))] = String(parts[0])
            }
            listings[node] = files
            if node == "n2" {
                let sizes = try lab.exec(
                    node,
                    ["find", brick, "-path", "\(brick)/.glusterfs", "-prune", "-o", "-type", "f", "-printf", "%s\n"],
                    timeout: 60)
                bytes = sizes.stdout.split(separator: "\n").compactMap { Int($0) }.reduce(0, +)
            }
        }
        let reference = try #require(listings["n2"])
        #expect(reference.keys.contains { $0.hasSuffix(during.relativePath) }, "upload 2 in n2's checksums")
        for node in brickNodes.dropFirst() {
            let files = listings[node] ?? [:]
            let differ = Set(reference.keys).union(files.keys).filter { reference[$0] != files[$0] }.sorted()
            #expect(differ.isEmpty, "\(node)'s brick differs from n2's: \(differ.prefix(10))")
        }

        // The site answered during the outage and after it, for both clients.
        for client in [visitor, pinnedClient] {
            #expect(
                client.successes(after: cutAt, before: restoredAt) > 0, "\(client.name): no answer during the outage")
            #expect(client.successes(after: restoredAt) > 0, "\(client.name): no answer after the node returned")
        }
        // What the gap is made of: the clients' failures, HAProxy's view of the servers, the
        // surviving replica's Gluster client losing and finding n4's brick (seconds since the cut).
        print(
            "node failure: visitors' failed requests (s since the cut:HTTP status, 000 = none in 2 s): \(visitor.failures(after: cutAt))"
        )
        print("node failure: pinned client's failed requests: \(pinnedClient.failures(after: cutAt))")
        print("node failure: n4 back at +\(seconds(restoredAt - cutAt)) s")
        for line in try events(since: cutWallClock) { print("node failure: \(line)") }
        let v = visitor.figures(from: cutAt, to: restoredAt)
        let p = pinnedClient.figures(from: cutAt, to: restoredAt)
        let vAfter = visitor.figures(from: restoredAt)
        let pAfter = pinnedClient.figures(from: restoredAt)
        // The return costs no failed request: none started after the link came back failed.
        for client in [visitor, pinnedClient] {
            #expect(
                client.failedStarted(after: restoredAt) == 0,
                "\(client.name): requests started after \(cut) returned failed: \(client.failures(after: restoredAt))")
        }
        print(
            "NODE-FAILURE: cut \(cut) (a WordPress node holding a brick) for \(seconds(outage)) s;"
                + " visitors (round robin): longest gap \(seconds(v.longestGap)) s, failed \(v.failed) of \(v.total) requests"
                + " (after return: gap \(seconds(vAfter.longestGap)) s, failed \(vAfter.failed) of \(vAfter.total), slower than 2 s \(visitor.slow(after: restoredAt)));"
                + " pinned to \(survivor): longest gap \(seconds(p.longestGap)) s, failed \(p.failed) of \(p.total)"
                + " (after return: gap \(seconds(pAfter.longestGap)) s, failed \(pAfter.failed) of \(pAfter.total), slower than 2 s \(pinnedClient.slow(after: restoredAt)));"
                + " heal after return \(seconds(healTime)) s; bricks identical: \(brickNodes.count) x \(reference.count) files, \(bytes) bytes"
        )
    }

    /// HAProxy's server state changes and its failed or slow (>= 1 s) requests (its log on n1),
    /// the WordPress nodes' container events (start, health, stop), and n3's Gluster client events
    /// about the lost brick (its mount log), as "+SECONDS since `cut`: line", in time order.
    private func events(since cut: Date) throws -> [String] {
        var found: [(Double, String)] = []
        if let proxy = try lab.container(of: "\(Self.stack)_haproxy", on: "n1") {
            let logs = try lab.docker("n1", ["logs", "--timestamps", proxy])
            var requests = 0
            for line in (logs.stdout + logs.stderr).split(separator: "\n") {
                guard let at = Self.timestamp(in: line), at >= cut.addingTimeInterval(-1) else { continue }
                let text = "haproxy: " + (line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? "")
                if line.contains("Server app/") {
                    found.append((at.timeIntervalSince(cut), text))
                } else if let match = line.firstMatch(of: #/(-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)/\+?(-?\d+) (\d{3}) /#),
                    match.output.6 != "200" || (Int(match.output.5) ?? 0) >= 1000, requests < 80
                {
                    requests += 1
                    found.append((at.timeIntervalSince(cut), String(text.prefix(220))))
                }
            }
        }
        // Container events of the WordPress nodes (a task's container starting, turning healthy, stopping).
        let since = String(Int(cut.timeIntervalSince1970) - 1)
        let until = String(Int(Date().timeIntervalSince1970) + 1)
        for node in Self.wordpressNodes {
            let out = try lab.docker(
                node,
                [
                    "events", "--since", since, "--until", until, "--filter", "type=container", "--format",
                    "{{.TimeNano}} {{.Action}} {{index .Actor.Attributes \"name\"}}",
                ], timeout: 30)
            for line in out.stdout.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, let nanos = Double(parts[0]), !parts[1].hasPrefix("exec_") else { continue }
                found.append((nanos / 1e9 - cut.timeIntervalSince1970, "\(node) container: \(parts[1])"))
            }
        }
        let gluster = try lab.exec(
            "n3",
            [
                "grep", "-r", "-h", "--include=*.log", "-e", "has not responded", "-e", "disconnected from", "-e",
                "Connected to",
                "/var/log/glusterfs/", "/run/brickctl-stack-plugin/",
            ])
        for line in gluster.stdout.split(separator: "\n")
        where line.contains("client-2") || line.contains("has not responded") {
            if let at = Self.timestamp(in: line), at >= cut.addingTimeInterval(-1) {
                found.append((at.timeIntervalSince(cut), "n3 gluster client: " + String(line.suffix(160))))
            }
        }
        return found.sorted { $0.0 < $1.0 }.map { String(format: "%+.1f s: ", $0.0) + $0.1 }
    }

    /// The first "YYYY-MM-DD[T ]HH:MM:SS.ffffff" in `line` (docker's and Gluster's log stamps, UTC).
    private static func timestamp(in line: Substring) -> Date? {
        guard
            let range = line.range(of: #"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\.\d{1,6}"#, options: .regularExpression)
        else { return nil }
        let text = line[range]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let whole = text.prefix(19).replacingOccurrences(of: "T", with: " ")
        guard let date = formatter.date(from: whole) else { return nil }
        return date.addingTimeInterval(Double("0" + text.dropFirst(19)) ?? 0)
    }

    /// Sets `node`'s veth up or down on the lab's switch (the host side of its cable).
    private func setLink(_ node: String, up: Bool) throws {
        let out = try Command("ip", ["-n", "brickctl-\(SwarmLab.id)-sw", "link", "set", node, up ? "up" : "down"]).run(
            timeout: 10)
        try #require(out.succeeded, "ip link set \(node) \(up ? "up" : "down"): \(out.stderr)")
    }

    private func seconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

/// A file uploaded through WordPress's REST API.
struct Upload: Sendable {
    /// The path part of its URL (`/wp-content/uploads/2026/11/NAME`).
    var path: String
    var content: String
    /// Its path under wp-content (`uploads/2026/11/NAME`): where it lies in the volume.
    var relativePath: String { String(path.dropFirst("/wp-content/".count)) }
}

/// WordPress through the proxy, with curl (argv, no shell): the web installer, a login, the REST
/// API's media upload.
struct WordPressSite: Sendable {
    var base: String
    let password = "nodefail-\(UUID().uuidString.prefix(8))"

    func curl(_ arguments: [String], timeout: Int = 30) throws -> Command.Output {
        try Command("curl", ["-s", "-m", "\(timeout)"] + arguments).run(timeout: Double(timeout + 5))
    }

    /// GET `path`; status and body.
    func get(_ path: String, cookie: String? = nil, timeout: Int = 10) throws -> (status: Int?, body: String) {
        let marker = "\n@@status="
        let out = try curl(
            (cookie.map { ["-b", "SERVERID=\($0)"] } ?? []) + ["-w", "\(marker)%{http_code}", "\(base)\(path)"],
            timeout: timeout)
        guard let range = out.stdout.range(of: marker, options: .backwards) else { return (nil, out.stdout) }
        return (Int(out.stdout[range.upperBound...]), String(out.stdout[..<range.lowerBound]))
    }

    /// The SERVERID cookie a new visitor gets (round robin), if any.
    func serverCookie() throws -> String? {
        let out = try curl(["-o", "/dev/null", "-D", "-", "\(base)/wp-login.php"], timeout: 10)
        for line in out.stdout.split(separator: "\r\n") where line.lowercased().hasPrefix("set-cookie: serverid=") {
            return line.dropFirst("set-cookie: serverid=".count).split(separator: ";").first.map(String.init)
        }
        return nil
    }

    /// Installs WordPress through `install.php?step=2` (the installer's form), admin / `password`.
    func install(password: String) throws {
        let out = try curl(
            [
                "-o", "/dev/null", "-w", "%{http_code}", "--data-urlencode", "weblog_title=brickctl node failure",
                "--data-urlencode", "user_name=admin",
                "--data-urlencode", "admin_password=\(password)", "--data-urlencode", "admin_password2=\(password)",
                "--data-urlencode", "pw_weak=1",
                "--data-urlencode", "admin_email=admin@example.com", "--data-urlencode", "blog_public=0",
                "\(base)/wp-admin/install.php?step=2",
            ], timeout: 90)
        try #require(out.stdout == "200", "WordPress's installer: HTTP \(out.stdout) \(out.stderr)")
    }

    /// Logs in as admin; the cookie jar (a temporary file: `endSession` removes it) and the REST
    /// nonce. `pinnedTo`: a SERVERID cookie the jar starts with, so that HAProxy sends the whole
    /// session to that replica.
    func logIn(pinnedTo serverID: String? = nil) throws -> (jar: String, nonce: String) {
        let jar = NSTemporaryDirectory() + "brickctl-nodefail-\(UUID().uuidString).jar"
        if let serverID, let host = URL(string: base)?.host {
            // Netscape's cookie file format, which curl reads: domain, subdomains, path, secure, expiry, name, value.
            try Data("\(host)\tFALSE\t/\tFALSE\t0\tSERVERID\t\(serverID)\n".utf8).write(to: URL(fileURLWithPath: jar))
        }
        _ = try curl(["-c", jar, "-b", jar, "-o", "/dev/null", "\(base)/wp-login.php"], timeout: 10)
        _ = try curl(
            [
                "-c", jar, "-b", jar, "-o", "/dev/null", "--data-urlencode", "log=admin", "--data-urlencode",
                "pwd=\(password)",
                "-d", "testcookie=1", "-d", "wp-submit=Log+In", "\(base)/wp-login.php",
            ], timeout: 20)
        let nonce = try curl(["-b", jar, "\(base)/wp-admin/admin-ajax.php?action=rest-nonce"], timeout: 10).stdout
        guard nonce.count >= 6, nonce.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            try? FileManager.default.removeItem(atPath: jar)
            throw FixtureError("no REST nonce after logging in: \(nonce.prefix(200))")
        }
        return (jar, nonce)
    }

    /// Uploads a plugin's zip from the admin page ("Add New Plugin", "Upload Plugin": the form's
    /// nonce, then `update.php?action=upload-plugin`) and returns the path of its "Activate" link.
    func installPlugin(session: (jar: String, nonce: String), zip: String) throws -> String {
        let page = try curl(["-b", session.jar, "\(base)/wp-admin/plugin-install.php?tab=upload"], timeout: 30).stdout
        guard let form = page.range(of: "update.php?action=upload-plugin"),
            let nonce = Self.firstCapture(#"name="_wpnonce" value="([0-9a-f]+)""#, in: page[form.upperBound...])
        else { throw FixtureError("no plugin upload form on the admin page: \(page.prefix(300))") }
        let out = try curl(
            [
                "-b", session.jar, "-F", "_wpnonce=\(nonce)", "-F", "pluginzip=@\(zip);type=application/zip",
                "-F", "install-plugin-submit=Install Now", "\(base)/wp-admin/update.php?action=upload-plugin",
            ], timeout: 60)
        guard let link = Self.firstCapture(#"href="(plugins\.php\?action=activate[^"]+)""#, in: out.stdout[...]) else {
            throw FixtureError("installing \(zip) from the admin page: \(out.stdout.suffix(800))\(out.stderr)")
        }
        return "/wp-admin/" + link.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The first capture group of `pattern` in `text`.
    static func firstCapture(_ pattern: String, in text: Substring) -> String? {
        guard let regex = try? Regex(pattern), let match = text.firstMatch(of: regex), match.count > 1,
            let captured = match[1].substring
        else { return nil }
        return String(captured)
    }

    /// Removes a session's cookie jar.
    func endSession(_ session: (jar: String, nonce: String)) {
        try? FileManager.default.removeItem(atPath: session.jar)
    }

    /// Uploads a text file as a media item (REST API, logged in); its URL path and content.
    func upload(session: (jar: String, nonce: String), name: String, content: String) throws -> Upload {
        let file = session.jar + ".\(UUID().uuidString).txt"
        try Data(content.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let out = try curl(
            [
                "-b", session.jar, "-H", "X-WP-Nonce: \(session.nonce)", "-H", "Content-Type: text/plain",
                "-H", "Content-Disposition: attachment; filename=\(name)", "--data-binary", "@\(file)",
                "\(base)/?rest_route=/wp/v2/media",
            ], timeout: 30)
        guard let json = try? JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any],
            let url = json["source_url"] as? String, let path = URL(string: url)?.path, path.hasPrefix("/wp-content/")
        else { throw FixtureError("media upload \(name) failed: \(out.stdout.prefix(300))\(out.stderr)") }
        return Upload(path: path, content: content)
    }
}

/// A client requesting `paths` in turn every 200 ms (`timeout` each, 2 s at first) on a thread of
/// its own, recording when each request started and ended and whether it got an HTTP 200.
final class SteadyClient: Sendable {
    let site: WordPressSite
    let paths: [String]
    let cookie: String?
    var name: String { cookie == nil ? "visitors" : "pinned client" }
    private let state = Mutex<
        (
            running: Bool,
            results: [(
                started: ContinuousClock.Instant, at: ContinuousClock.Instant, ok: Bool, status: Int, path: String
            )]
        )
    >((false, []))
    private let finished = Mutex<Bool>(true)
    private let seconds = Mutex<Int>(2)
    /// Each request's timeout in seconds, from its next request on.
    var timeout: Int {
        get { seconds.withLock { $0 } }
        set { seconds.withLock { $0 = newValue } }
    }

    init(site: WordPressSite, paths: [String], cookie: String?) {
        self.site = site
        self.paths = paths
        self.cookie = cookie
    }

    func start() {
        state.withLock { $0.running = true }
        finished.withLock { $0 = false }
        Thread.detachNewThread { [self] in
            var index = 0
            while state.withLock({ $0.running }) {
                let started = ContinuousClock.now
                let path = paths[index % paths.count]
                index += 1
                let answer = try? site.get(path, cookie: cookie, timeout: timeout)
                state.withLock {
                    $0.results.append((started, ContinuousClock.now, answer?.status == 200, answer?.status ?? 0, path))
                }
                let next = started + .milliseconds(200)
                let wait = next - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.attoseconds) / 1e18) }
            }
            finished.withLock { $0 = true }
        }
    }

    /// Stops the thread and waits for its last request (at most 5 s).
    func stop() {
        state.withLock { $0.running = false }
        let deadline = ContinuousClock.now + .seconds(5)
        while !finished.withLock({ $0 }) && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
    }

    func successes(after start: ContinuousClock.Instant, before end: ContinuousClock.Instant? = nil) -> Int {
        state.withLock { state in
            state.results.filter { result in result.ok && result.at > start && (end.map { result.at < $0 } ?? true) }
                .count
        }
    }

    /// How many requests started after `start` took more than 2 s (answered or not).
    func slow(after start: ContinuousClock.Instant) -> Int {
        state.withLock { state in
            state.results.filter { $0.started > start && $0.at - $0.started > .seconds(2) }.count
        }
    }

    /// How many requests started after `start` failed.
    func failedStarted(after start: ContinuousClock.Instant) -> Int {
        state.withLock { state in state.results.filter { !$0.ok && $0.started > start }.count }
    }

    /// The failed requests after `start`: seconds since `start` and HTTP status (0: no answer in 2 s).
    func failures(after start: ContinuousClock.Instant) -> String {
        state.withLock { state in
            state.results.filter { !$0.ok && $0.at > start }.map { result in
                let offset = result.at - start
                let seconds = Double(offset.components.seconds) + Double(offset.components.attoseconds) / 1e18
                return String(format: "+%.1f:%03d", seconds, result.status) + (result.path == "/" ? "(page)" : "(file)")
            }.joined(separator: " ")
        }
    }

    /// From the last answer before `start` on (until `end`): the longest time between two
    /// answers, the failed requests and all requests.
    func figures(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant? = nil) -> (
        longestGap: Duration, failed: Int, total: Int
    ) {
        state.withLock { state in
            let lastBefore = state.results.last { $0.ok && $0.at <= start }?.at ?? start
            let window = state.results.filter { result in
                result.at > lastBefore && (end.map { result.at <= $0 } ?? true)
            }
            var previous = lastBefore
            var longest = Duration.zero
            for result in window where result.ok {
                longest = max(longest, result.at - previous)
                previous = result.at
            }
            return (longest, window.filter { !$0.ok }.count, window.count)
        }
    }
}
