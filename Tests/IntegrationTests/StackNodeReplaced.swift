import Foundation
import Gluster
import HostIO
import Testing

extension Integration.StackDeployTests {
    /// Issue 18's node drill on the deployed stack, after the database-node drill: n2 (a brick,
    /// once the database node) is dead for good. If it is still in the lab, its Gluster processes
    /// are killed and its link cut; if the drill before removed or cut it, it stays that way. New
    /// hardware: `lab node add` gives n5 (glusterd, dockerd joined to the Swarm, a prepared brick
    /// disk); the images are loaded and the plugin started there like on the other nodes. Then,
    /// from n3, `brickctl node replace n2 n5 --swarm` (the Swarm manager reached by DOCKER_HOST):
    /// the volume has three healthy copies again (nothing pending, the same files and bytes on
    /// every brick), n2 is out of the pool, n2's labels are on n5. n5 then takes the WordPress
    /// label and the service its second replica: every task runs where the labels say. At the
    /// end n5 leaves the Swarm and n2's link comes back (the lab's later users expect n1..n4).
    ///
    /// Not called yet. Its one run (after issue 17's drill, n2 removed for good): `node replace`
    /// moved the brick to n5, the heal went from 113 pending entries to 5 in 18 s and stayed at 5
    /// on n3 and n4 for the rest of its 300 s (not diagnosed yet: files the site keeps writing, or
    /// entries that need n2). To run it, add at the end of `stackDeployRunsTheRecipeOnTheSwarm`:
    /// `try nodeReplaced(host: host)`.
    func nodeReplaced(host: String) throws {
        let drillStart = ContinuousClock.now
        let old = "n2"
        let switchNamespace = "brickctl-\(SwarmLab.id)-sw"
        let managerSocket = "unix:///var/lib/brickctl-lab-\(SwarmLab.id)/n1/root/run/docker.sock"

        // n2 dead for good. Its processes die first (their connections close, the peers see it at
        // once), then its link goes down; a node already gone from the lab stays gone.
        let link = try? Command("ip", ["-n", switchNamespace, "-o", "link", "show", old]).run(timeout: 10)
        let linkUp = link?.succeeded == true && link?.stdout.contains("state UP") == true
        // Afterwards the shared Swarm lab looks as before for the suites that follow: n2's link
        // back (as the database drill leaves it), n5 out of the Swarm (n1..n4 Ready).
        defer {
            if linkUp { _ = try? Command("ip", ["-n", switchNamespace, "link", "set", old, "up"]).run(timeout: 10) }
        }
        if linkUp {
            _ = try? lab.exec(
                old,
                [
                    "sh", "-c",
                    "for p in $(cat /run/glusterd.pid) $(pgrep -x glusterfsd) $(pgrep -x glusterfs); do [ \"$(readlink /proc/$p/ns/net)\" = \"$(readlink /proc/self/ns/net)\" ] && kill -9 $p; done; true",
                ])
            _ = try? Command("ip", ["-n", switchNamespace, "link", "set", old, "down"]).run(timeout: 10)
        }
        try lab.waitFor("n3's glusterd seeing \(old) disconnected", seconds: 180) { () -> Bool? in
            let peers = try lab.exec("n3", ["gluster", "peer", "status"]).stdout
            guard let at = peers.range(of: "Hostname: \(old)\n") else { return true }  // not a peer any more
            return peers[at.upperBound...].prefix(200).contains("(Disconnected)") ? true : nil
        }
        let labelsBefore = try replaceDrillLabels(old)

        // New hardware: n5 in the lab, with the images and the plugin like the other nodes.
        let added = try lab.lab(["node", "add"], timeout: 300)
        try #require(added.succeeded, "lab node add: \(added.stderr)")
        let new = try #require(added.stdout.split(separator: "\n").last.map(String.init))
        #expect(new == "n5", "\(added.stdout)")
        defer {
            _ = try? lab.docker(new, ["swarm", "leave", "--force"])
            _ = try? lab.docker("n1", ["node", "rm", "--force", new])
        }
        let addedAt = ContinuousClock.now
        let load = try lab.images(["load", new, "busybox", "wordpress", "mariadb"], timeout: 600)
        try #require(load.succeeded, "scripts/images load \(new): \(load.stderr)")
        let servers = "n3,n4,\(new)"
        _ = try lab.exec(new, ["rm", "-f", "/run/brickctl-stack-plugin.pid"])
        _ = try Command(
            lab.script,
            [
                "exec", new, "sh", "-c",
                "echo $$ >/run/brickctl-stack-plugin.pid; exec \"$@\" 2>>/run/brickctl-stack-plugin.log", "sh",
                Fixtures.brickctl, "plugin", "serve", "--servers", servers, "--volume", Self.volume,
                "--local-root", Self.localRoot, "--state-dir", "/run/brickctl-stack-plugin",
            ], environment: ["LAB_ID": SwarmLab.id]
        ).spawn(stdout: .null, stderr: .null)
        let plugin = try lab.waitFor("the plugin's pid file in \(new)", seconds: 10) { () -> Int32? in
            Int32(
                try lab.exec(new, ["cat", "/run/brickctl-stack-plugin.pid"]).stdout.trimmingCharacters(
                    in: .whitespacesAndNewlines))
        }
        var pluginRunning = true
        defer { if pluginRunning { kill(plugin, SIGTERM) } }

        // The replacement, from n3 (a pool host), the Swarm manager reached by DOCKER_HOST.
        let probe = try brickctl("n3", ["peer", "probe", new], timeout: 120)
        try #require(probe.succeeded, "peer probe \(new): \(probe.stdout)\(probe.stderr)")
        let replace = { (extra: [String]) throws -> Command.Output in
            try lab.exec(
                "n3",
                [
                    "env", "BRICKCTL_DOCKER=/usr/bin/docker", "DOCKER_HOST=\(managerSocket)", Fixtures.brickctl, "node",
                    "replace", old, new, "--swarm", "--timeout", "300s",
                ] + extra, timeout: 420)
        }
        let dry = try replace(["--dry-run"])
        #expect(
            dry.succeeded && dry.stdout.contains("replace-brick \(Self.volume) \(old):")
                && dry.stdout.contains("Nothing was changed"), "\(dry.stdout)\(dry.stderr)")
        let replaceAt = ContinuousClock.now
        let replaced = try replace([])
        let replaceTime = ContinuousClock.now - replaceAt
        print("node drill: node replace output:\n\(replaced.stdout)\(replaced.stderr)")
        try #require(replaced.succeeded, "node replace: \(replaced.stdout)\(replaced.stderr)")
        #expect(replaced.stdout.contains("verified: 3 copies"), "\(replaced.stdout)")
        #expect(replaced.stdout.contains("detached \(old)"), "\(replaced.stdout)")

        // Three healthy copies again: n3, n4 and n5, nothing pending, the same files everywhere.
        try replaceDrillWaitHealed("after node replace")
        let info = try #require(
            try VolumeInfo.list(
                from: CLIEnvelope(
                    parsing: try lab.exec("n3", ["gluster", "--xml", "volume", "info", Self.volume]).stdout)
            ).first)
        let bricks = info.bricks.map(\.address)
        #expect(bricks.map(\.host).sorted() == ["n3", "n4", new], "\(bricks)")
        let manifests = try replaceDrillManifests(bricks)
        for (brick, files) in zip(bricks, manifests).dropFirst() {
            let differ = Set(manifests[0].files.keys).union(files.files.keys).filter {
                manifests[0].files[$0] != files.files[$0]
            }.sorted()
            #expect(differ.isEmpty, "\(brick) differs from \(bricks[0]): \(differ.prefix(10))")
        }
        #expect(!(try lab.exec("n3", ["gluster", "pool", "list"]).stdout.contains(old)), "\(old) still in the pool")

        // The labels moved; twice-safe.
        #expect(try replaceDrillLabels(old).isEmpty, "labels left on \(old)")
        let newLabels = try replaceDrillLabels(new)
        for (key, value) in labelsBefore { #expect(newLabels[key] == value, "label \(key) on \(new): \(newLabels)") }
        let again = try replace([])
        #expect(
            again.succeeded && again.stdout.contains("nothing to detach"), "second run: \(again.stdout)\(again.stderr)")

        // n5 serves WordPress: its label, the driver reported to the manager, a second replica.
        try lab.waitFor("\(new) reporting the brickctl volume driver", seconds: 120) { () -> Bool? in
            let out = try lab.docker(
                "n1",
                [
                    "node", "inspect", "--format", "{{range .Description.Engine.Plugins}}{{.Type}}/{{.Name}} {{end}}",
                    new,
                ])
            return out.stdout.contains("Volume/brickctl") ? true : nil
        }
        try #require(try brickctl("n1", ["swarm", "label", new, "--wordpress"]).succeeded)
        let wordpressNodes = try lab.waitFor("the nodes WordPress may run on", seconds: 10) { () -> [String]? in
            let nodes = try ["n1", "n3", "n4", new].filter {
                let labels = try replaceDrillLabels($0)
                return labels["wordpress"] == "true" && labels["database"] != "true"
            }
            return nodes.isEmpty ? nil : nodes.sorted()
        }
        let databaseNodes = try ["n1", "n3", "n4", new].filter { try replaceDrillLabels($0)["database"] == "true" }
        let scale = try lab.docker(
            "n1", ["service", "scale", "--detach", "\(Self.stack)_wordpress=\(wordpressNodes.count)"])
        #expect(scale.succeeded, "\(scale.stderr)")
        let running = try? lab.waitFor("WordPress on \(wordpressNodes)", seconds: 180) { () -> [String]? in
            let nodes = try lab.runningTasks("\(Self.stack)_wordpress").sorted()
            return nodes == wordpressNodes ? nodes : nil
        }
        let tasks = try lab.runningTasks("\(Self.stack)_wordpress")
        #expect(running == wordpressNodes, "WordPress tasks: \(tasks), labels say \(wordpressNodes)")
        #expect(try lab.runningTasks("\(Self.stack)_db") == databaseNodes, "database tasks vs labels \(databaseNodes)")
        let site = WordPressSite(base: "http://\(host):\(Self.port)")
        let page = try lab.waitFor("the site through the proxy with \(new) serving", seconds: 90) {
            () -> Int? in
            let answer = try site.get("/", timeout: 20)
            return answer.status == 200 ? 200 : nil
        }
        #expect(page == 200)

        // n5 leaves WordPress again before its plugin stops (the stack's removal needs the plugin).
        _ = try? brickctl("n1", ["swarm", "label", new, "--wordpress", "--remove"])
        _ = try? lab.waitFor("no WordPress task on \(new)", seconds: 90) { () -> Bool? in
            try lab.container(of: "\(Self.stack)_wordpress", on: new) == nil ? true : nil
        }
        kill(plugin, SIGTERM)
        pluginRunning = false
        print(
            "NODE-REPLACE: \(old) dead, \(new) added (lab node add + images \(drillSecondsOf(addedAt - drillStart)) s incl. waiting for \(old) to be seen down); node replace \(old) \(new) --swarm to three verified copies: \(drillSecondsOf(replaceTime)) s; whole drill \(drillSecondsOf(ContinuousClock.now - drillStart)) s; labels moved: \(labelsBefore.isEmpty ? "none (\(old) had none)" : labelsBefore.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","))"
        )
    }

    /// A Swarm node's labels, as the manager sees them.
    func replaceDrillLabels(_ node: String) throws -> [String: String] {
        let out = try lab.docker("n1", ["node", "inspect", "--format", "{{json .Spec.Labels}}", node])
        guard out.succeeded else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: String]) ?? [:]
    }

    private func drillSecondsOf(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
