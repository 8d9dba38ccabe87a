import Foundation
import HostIO
import Testing

extension Integration {
    /// The recipe's Swarm on one machine (`scripts/lab up 4 --swarm`) and the images of
    /// `scripts/images`: real dockerd per node, real overlay networks, real WordPress, MariaDB and
    /// HAProxy built from Debian packages. No IPVS in this kernel: services use dnsrr and ports are
    /// published in host mode on n1, the only node the host reaches.
    @Suite struct SwarmLabTests {
        let lab: SwarmLab

        init() throws {
            lab = try SwarmLab.shared()
        }

        @Test func swarmHasOneManagerAndThreeWorkers() throws {
            let ls = try lab.docker(
                "n1", ["node", "ls", "--format", "{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}"])
            #expect(ls.succeeded, "\(ls.stderr)")
            let rows = ls.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.sorted {
                $0[0] < $1[0]
            }
            #expect(rows.map { $0[0] } == ["n1", "n2", "n3", "n4"])
            #expect(rows.allSatisfy { $0[1] == "Ready" && $0[2] == "Active" })
            #expect(rows.first?.last == "Leader")
            #expect(rows.dropFirst().allSatisfy { $0.count == 3 }, "workers have no manager status: \(rows)")
            // Each daemon's own view: hostname = node name, n1 manages, the others do not.
            for node in lab.nodes {
                let info = try lab.docker(
                    node, ["info", "--format", "{{.Name}} {{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}"])
                #expect(info.stdout == "\(node) active \(node == "n1")\n", "\(info.stderr)")
            }
            // Only n1 is on the external network; the host reaches it there.
            let external = try lab.externalAddress()
            for node in ["n2", "n3", "n4"] {
                let addrs = try lab.exec(node, ["ip", "-4", "-o", "addr"])
                #expect(!addrs.stdout.contains(external.split(separator: ".").prefix(3).joined(separator: ".") + "."))
            }
        }

        @Test func twoReplicasOnTwoWorkersTalkOverAnOverlayNetwork() throws {
            let net = lab.unique("ov")
            let service = lab.unique("echo")
            defer { lab.remove(services: [service], networks: [net]) }
            #expect(try lab.docker("n1", ["network", "create", "--driver", "overlay", "--attachable", net]).succeeded)
            let create = try lab.docker(
                "n1",
                [
                    "service", "create", "--detach", "--no-resolve-image", "--name", service, "--network", net,
                    "--replicas", "2", "--replicas-max-per-node", "1", "--endpoint-mode", "dnsrr",
                    "--constraint", "node.role==worker", "--constraint", "node.hostname!=n4",
                    "--hostname", "{{.Node.Hostname}}",
                    // A persistent listener answering every connection with the task's hostname (= its node).
                    "brickctl/busybox:latest", "nc", "-ll", "-p", "7000", "-e", "hostname",
                ])
            #expect(create.succeeded, "\(create.stderr)")
            let nodes = try lab.waitFor("2 running tasks of \(service)") { () -> [String]? in
                let running = try lab.runningTasks(service)
                return running.count == 2 ? running.sorted() : nil
            }
            #expect(nodes == ["n2", "n3"])

            // Each task's address on the overlay network, from its own node's daemon.
            var address: [String: String] = [:]
            var container: [String: String] = [:]
            for node in nodes {
                let id = try lab.waitFor("\(service)'s container on \(node)") {
                    try lab.container(of: service, on: node)
                }
                container[node] = id
                let ip = try lab.docker(
                    node, ["inspect", "--format", "{{(index .NetworkSettings.Networks \"\(net)\").IPAddress}}", id])
                address[node] = ip.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            // Swarm's DNS (no IPVS: dnsrr) names both tasks.
            let lookup = try lab.docker("n2", ["exec", container["n2"]!, "nslookup", "tasks.\(service)", "127.0.0.11"])
            #expect(
                lookup.stdout.contains(address["n2"]!) && lookup.stdout.contains(address["n3"]!), "\(lookup.stdout)")
            // n2's task reaches n3's over the overlay (VXLAN between the node namespaces), and back.
            for (from, to) in [("n2", "n3"), ("n3", "n2")] {
                let answer = try lab.waitFor("\(from) → \(to) over \(net)", seconds: 30) { () -> String? in
                    let out = try lab.docker(
                        from, ["exec", container[from]!, "nc", "-w", "3", address[to]!, "7000"], timeout: 15)
                    return out.stdout.isEmpty ? nil : out.stdout
                }
                #expect(answer == "\(to)\n")
            }
        }

        @Test func haproxyBalancesTwoBackendsAndKeepsASessionOnOne() throws {
            let net = lab.unique("hp")
            let web = lab.unique("web")
            let proxy = lab.unique("px")
            let port = 18080
            let statsPort = 18404
            defer { lab.remove(services: [proxy, web], networks: [net]) }
            #expect(try lab.docker("n1", ["network", "create", "--driver", "overlay", "--attachable", net]).succeeded)
            // Two busybox httpd backends on n3 and n4 that serve /etc (docker writes the task's
            // hostname, here its node's name, to /etc/hostname): GET /hostname names the backend.
            let backend = try lab.docker(
                "n1",
                [
                    "service", "create", "--detach", "--no-resolve-image", "--name", web, "--network", net,
                    "--endpoint-mode", "dnsrr",
                    "--replicas", "2", "--replicas-max-per-node", "1",
                    "--constraint", "node.hostname!=n1", "--constraint", "node.hostname!=n2",
                    "--hostname", "{{.Node.Hostname}}",
                    "brickctl/busybox:latest", "httpd", "-f", "-p", "80", "-h", "/etc",
                ])
            #expect(backend.succeeded, "\(backend.stderr)")
            let front = try lab.docker(
                "n1",
                [
                    "service", "create", "--detach", "--no-resolve-image", "--name", proxy, "--network", net,
                    "--endpoint-mode", "dnsrr",
                    "--constraint", "node.hostname==n1", "--publish", "mode=host,target=80,published=\(port)",
                    "--publish", "mode=host,target=8404,published=\(statsPort)",
                    "--env", "HAPROXY_BACKEND_SERVICE=\(web)", "--env", "HAPROXY_CHECK_PATH=/hostname",
                    "--env", "HAPROXY_COOKIE_KEY=lab-test-key",
                    "brickctl/haproxy:latest",
                ])
            #expect(front.succeeded, "\(front.stderr)")

            // HAProxy has resolved tasks.WEB through Swarm's DNS: two slots of the template UP, with
            // two different addresses (at start, `init-addr libc` may give several slots the same
            // first address until the resolver hands out one per slot). Read from the host through
            // n1's external address.
            let host = try lab.externalAddress()
            var stats = ""
            try lab.waitFor("haproxy's stats on \(host):\(statsPort) listing two backends UP", seconds: 120) {
                () -> Bool? in
                stats = try lab.httpGet(host, statsPort, "/stats;csv").body
                let up = upServers(stats, backend: "app", prefix: web)
                return up.count == 2 && Set(up).count == 2 ? true : nil
            }

            // Without a cookie: round robin, each backend setting its own SERVERID cookie.
            var cookieOf: [String: String] = [:]
            var seen: [String] = []
            for _ in 0..<4 {
                let answer = try lab.httpGet(host, port, "/hostname")
                #expect(answer.status == 200, "\(answer)")
                let node = answer.body.trimmingCharacters(in: .whitespacesAndNewlines)
                seen.append(node)
                cookieOf[node] = answer.setCookie("SERVERID")
            }
            #expect(Set(seen) == ["n3", "n4"], "round robin without a cookie: \(seen); stats:\n\(stats)")
            try #require(
                cookieOf["n3"] != nil && cookieOf["n4"] != nil && cookieOf["n3"] != cookieOf["n4"], "\(cookieOf)")

            // With the cookie, every request stays on its server.
            for node in ["n3", "n4"] {
                for _ in 0..<5 {
                    let answer = try lab.httpGet(host, port, "/hostname", cookie: "SERVERID=\(cookieOf[node]!)")
                    #expect(answer.body == "\(node)\n", "\(answer)")
                }
            }
        }

        /// Addresses of the servers of BACKEND whose name starts with PREFIX and that are UP, from
        /// HAProxy's CSV stats.
        private func upServers(_ csv: String, backend: String, prefix: String) -> [String] {
            let lines = csv.split(whereSeparator: \.isNewline).map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            guard let header = lines.first(where: { $0.first?.hasPrefix("# pxname") == true }),
                let status = header.firstIndex(of: "status"), let addr = header.firstIndex(of: "addr")
            else { return [] }
            return lines.filter {
                $0.count > max(status, addr) && $0[0] == backend && $0[1].hasPrefix(prefix) && $0[status] == "UP"
            }
            .map { $0[addr] }
        }

        @Test func wordpressServesItsInstallerAgainstMariaDB() throws {
            let net = lab.unique("wp")
            let db = lab.unique("db")
            let wp = lab.unique("wordpress")
            let proxy = lab.unique("px")
            let secret = lab.unique("dbpw")
            let port = 18081
            defer {
                lab.remove(services: [proxy, wp, db], networks: [net])
                _ = try? lab.docker("n1", ["secret", "rm", secret])
            }
            #expect(try lab.docker("n1", ["network", "create", "--driver", "overlay", "--attachable", net]).succeeded)
            // The password as a Swarm secret: both images read it through their *_FILE variables.
            #expect(try lab.docker("n1", ["secret", "create", secret, "-"], input: "wp-secret-\(secret)\n").succeeded)
            let mariadb = try lab.docker(
                "n1",
                [
                    "service", "create", "--detach", "--no-resolve-image", "--name", db, "--network", net,
                    "--endpoint-mode", "dnsrr",
                    "--constraint", "node.hostname==n2", "--secret", secret,
                    "--env", "MARIADB_RANDOM_ROOT_PASSWORD=1", "--env", "MARIADB_DATABASE=wordpress",
                    "--env", "MARIADB_USER=wp", "--env", "MARIADB_PASSWORD_FILE=/run/secrets/\(secret)",
                    "brickctl/mariadb:latest",
                ])
            #expect(mariadb.succeeded, "\(mariadb.stderr)")
            let wordpress = try lab.docker(
                "n1",
                [
                    "service", "create", "--detach", "--no-resolve-image", "--name", wp, "--network", net,
                    "--endpoint-mode", "dnsrr",
                    "--replicas", "2", "--replicas-max-per-node", "1",
                    "--constraint", "node.hostname!=n1", "--constraint", "node.hostname!=n2", "--secret", secret,
                    "--env", "WORDPRESS_DB_HOST=\(db)", "--env", "WORDPRESS_DB_USER=wp",
                    "--env", "WORDPRESS_DB_PASSWORD_FILE=/run/secrets/\(secret)", "--env",
                    "WORDPRESS_DB_NAME=wordpress",
                    "brickctl/wordpress:latest",
                ])
            #expect(wordpress.succeeded, "\(wordpress.stderr)")
            let front = try lab.docker(
                "n1",
                [
                    "service", "create", "--detach", "--no-resolve-image", "--name", proxy, "--network", net,
                    "--endpoint-mode", "dnsrr",
                    "--constraint", "node.hostname==n1", "--publish", "mode=host,target=80,published=\(port)",
                    "--env", "HAPROXY_BACKEND_SERVICE=\(wp)", "brickctl/haproxy:latest",
                ])
            #expect(front.succeeded, "\(front.stderr)")

            // The installer page needs the database: WordPress answers "Error establishing a
            // database connection" (500) until MariaDB has initialised and accepts wp's password.
            let host = try lab.externalAddress()
            let page = try lab.waitFor("WordPress's installer through haproxy on \(host):\(port)", seconds: 180) {
                () -> HTTPAnswer? in
                let answer = try lab.httpGet(host, port, "/wp-admin/install.php")
                return answer.status == 200 ? answer : nil
            }
            #expect(page.body.contains("<title>WordPress &rsaquo; Installation</title>"), "\(page)")

            // Each replica healthy (its HEALTHCHECK); /healthz through haproxy reaches both in turn:
            // PHP with OPcache on, Apache's workers as www-data (uid 33).
            for node in ["n3", "n4"] {
                let id = try #require(try lab.container(of: wp, on: node))
                let health = try lab.waitFor("\(wp) on \(node) healthy", seconds: 90) { () -> String? in
                    let out = try lab.docker(node, ["inspect", "--format", "{{.State.Health.Status}}", id])
                    return out.stdout == "healthy\n" ? out.stdout : nil
                }
                #expect(health == "healthy\n")
            }
            for _ in 0..<2 {
                let healthz = try lab.httpGet(host, port, "/healthz")
                #expect(healthz.status == 200 && healthz.body == "ok\nopcache: on\nuid: 33\n", "\(healthz)")
            }
            // MariaDB kept its promise: the user from the environment owns the database.
            let dbNode = try #require(try lab.runningTasks(db).first)
            let dbID = try #require(try lab.container(of: db, on: dbNode))
            let query = try lab.docker(
                dbNode,
                [
                    "exec", dbID, "mariadb", "-uwp", "-pwp-secret-\(secret)", "-h", "127.0.0.1",
                    "wordpress", "-N", "-e", "SELECT CURRENT_USER()",
                ])
            #expect(query.stdout == "wp@%\n", "\(query.stderr)")
        }

        /// A second, small Swarm lab of its own ("sd", or BRICKCTL_TEST_SWARM_DOWN_LAB_ID), so that tearing it down can be checked
        /// without disturbing the shared one: no process, mount, netns, loop device, cgroup,
        /// interface, route or iptables rule is left.
        @Test func labDownLeavesNothingBehind() throws {
            let id = SwarmLab.downID
            // scripts/lab's subnets: 10.111.H.0/24 and 10.112.H.0/24, H = cksum(id) % 250 + 1.
            let sum = try Command("cksum", []).run(input: id).stdout.split(separator: " ").first.flatMap { UInt64($0) }
            let octet = try #require(sum, "cksum of \(id)") % 250 + 1
            let state = "/var/lib/brickctl-lab-\(id)"
            let iptablesBefore = try hostIptables()
            _ = try lab.lab(["down"], id: id, timeout: 120)
            let up = try lab.lab(["up", "2", "--swarm"], id: id, timeout: 300)
            try #require(up.succeeded, "\(up.stderr)")
            var down = false
            defer { if !down { _ = try? lab.lab(["down"], id: id, timeout: 180) } }

            // Something running: a container in its own namespaces, on each node.
            let load = try Command(
                "timeout", ["-k", "5", "120", "\(lab.repo)/scripts/images", "load", "all", "busybox"],
                environment: ["LAB_ID": id]
            ).run()
            try #require(load.succeeded, "\(load.stderr)")
            let run = try lab.lab(
                [
                    "docker", "n1", "service", "create", "--detach", "--no-resolve-image", "--name", "idle", "--mode",
                    "global",
                    "brickctl/busybox:latest", "sleep", "100000",
                ], id: id)
            try #require(run.succeeded, "\(run.stderr)")
            try lab.waitFor("a task on each node of lab \(id)") { () -> Bool? in
                let ps = try lab.lab(
                    ["docker", "n1", "service", "ps", "idle", "--format", "{{.CurrentState}}"], id: id)
                return ps.stdout.split(separator: "\n").filter { $0.hasPrefix("Running") }.count == 2 ? true : nil
            }
            // Every process of the lab now: in its namespaces or its cgroups (containers).
            let netns = try Command("ip", ["netns", "list"]).run().stdout.split(separator: "\n")
                .map { String($0.split(separator: " ")[0]) }.filter { $0.hasPrefix("brickctl-\(id)-") }
            #expect(netns.count == 3)
            let netnsInodes = Set(
                netns.compactMap {
                    try? FileManager.default.attributesOfItem(atPath: "/run/netns/\($0)")[.systemFileNumber] as? UInt64
                }.map { "net:[\($0)]" })
            let cgroupPids = try containerPids(id)
            #expect(cgroupPids.count >= 2, "container processes in /brickctl-lab-\(id)-nK cgroups")
            let before = processes(inNetns: netnsInodes).union(cgroupPids)

            let result = try lab.lab(["down"], id: id, timeout: 180)
            down = true
            #expect(result.succeeded, "\(result.stderr)")

            let alive = before.filter { FileManager.default.fileExists(atPath: "/proc/\($0)/stat") && !isZombie($0) }
            #expect(alive.isEmpty, "processes left: \(alive)")
            #expect(try containerPids(id).isEmpty)
            let cgroups = labCgroups(id)
            #expect(cgroups.isEmpty, "cgroups left: \(cgroups)")
            let nsLeft = try Command("ip", ["netns", "list"]).run().stdout
            #expect(!nsLeft.contains("brickctl-\(id)-"))
            let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            #expect(!mounts.contains(state))
            let loops = try Command("losetup", ["-l", "-n", "-O", "BACK-FILE"]).run().stdout
            #expect(!loops.contains(state))
            #expect(!FileManager.default.fileExists(atPath: state))
            let links = try Command("ip", ["-o", "link"]).run().stdout
            #expect(!links.contains("brickctl-e\(id)"))
            let routes = try Command("ip", ["route"]).run().stdout
            #expect(!routes.contains("10.111.\(octet).") && !routes.contains("10.112.\(octet)."), "\(routes)")
            #expect(try hostIptables() == iptablesBefore)
        }

        private func hostIptables() throws -> String {
            let out = try Command("iptables-save", []).run().stdout
            // Counters and the generated header/footer comments differ between two dumps.
            return out.split(separator: "\n").filter { !$0.hasPrefix("#") }
                .map { $0.replacingOccurrences(of: #"\[\d+:\d+\]"#, with: "", options: .regularExpression) }
                .joined(separator: "\n")
        }

        /// The lab's cgroup parents (/brickctl-lab-ID-nK) in every hierarchy.
        private func labCgroups(_ id: String) -> [String] {
            let fm = FileManager.default
            let roots =
                ["/sys/fs/cgroup"]
                + ((try? fm.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? []).map { "/sys/fs/cgroup/\($0)" }
            return roots.flatMap { root in
                ((try? fm.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix("brickctl-lab-\(id)-n") }.map
                { "\(root)/\($0)" }
            }
        }

        /// Processes in the lab's containers' cgroups.
        private func containerPids(_ id: String) throws -> Set<String> {
            var pids: Set<String> = []
            for parent in labCgroups(id) {
                let enumerator = FileManager.default.enumerator(atPath: parent)
                while let path = enumerator?.nextObject() as? String {
                    guard path.hasSuffix("cgroup.procs"),
                        let procs = try? String(contentsOfFile: "\(parent)/\(path)", encoding: .utf8)
                    else { continue }
                    pids.formUnion(procs.split(separator: "\n").map(String.init))
                }
            }
            return pids
        }

        private func processes(inNetns inodes: Set<String>) -> Set<String> {
            let pids =
                (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { $0.allSatisfy(\.isNumber) }
                ?? []
            return Set(
                pids.filter { pid in
                    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")).map(
                        inodes.contains) ?? false
                })
        }

        private func isZombie(_ pid: String) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return true }
            return stat[stat.index(close, offsetBy: 2)] == "Z"
        }
    }
}
