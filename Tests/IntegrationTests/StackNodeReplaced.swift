import Foundation
import Gluster
import HostIO
import Testing

extension Integration.StackDeployTests {
    /// Issue 18's node drill on the deployed stack, after the database-node drill: n2 (a brick,
    /// once the database node) is gone for good (`databaseNodeLost` removed it from the lab; if
    /// it is still there its Gluster processes are killed and its link cut). New hardware: `lab
    /// node add` gives n5 (glusterd, dockerd joined to the Swarm, a prepared brick disk). Then,
    /// from n3, `brickctl node replace n2 n5 --swarm` (the Swarm manager reached by DOCKER_HOST)
    /// while a visitor reads the front page through the proxy every 200 ms: the volume has three
    /// healthy copies again (nothing pending, the same files with the same sha256 on every
    /// brick), n2 is out of the pool, n2's labels (if any) are on n5, the stack's tasks run where
    /// the labels say, and the site kept answering (failed requests and the longest gap printed
    /// in one `NODE-REPLACE:` line; an error answer fails the test). n5 does not run WordPress
    /// (no images, no plugin there: loading 600 MB of images would double the drill); it leaves
    /// the Swarm at the end.
    func nodeReplaced(host: String) throws {
        let drillStart = ContinuousClock.now
        let old = "n2"
        let switchNamespace = "brickctl-\(SwarmLab.id)-sw"
        let managerSocket = "unix:///var/lib/brickctl-lab-\(SwarmLab.id)/n1/root/run/docker.sock"

        // n2 dead for good. Its processes die first (their connections close, the peers see it at
        // once), then its link goes down; a node already gone from the lab stays gone.
        let link = try? Command("ip", ["-n", switchNamespace, "-o", "link", "show", old]).run(timeout: 10)
        let linkUp = link?.succeeded == true && link?.stdout.contains("state UP") == true
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
        // A label of the dead node's own (Swarm takes it for a down node too), so that the move
        // is proven whether or not the stack's labels are on it.
        let marked = try lab.docker("n1", ["node", "update", "--label-add", "brickctl-drill=\(old)", old])
        try #require(marked.succeeded, "label \(old): \(marked.stderr)")
        let labelsBefore = try replaceDrillLabels(old)
        #expect(labelsBefore["brickctl-drill"] == old, "labels of \(old): \(labelsBefore)")

        // New hardware: n5 in the lab (and in the Swarm).
        let added = try lab.lab(["node", "add"], timeout: 300)
        try #require(added.succeeded, "lab node add: \(added.stderr)")
        let new = try #require(added.stdout.split(separator: "\n").last.map(String.init))
        #expect(new == "n5", "\(added.stdout)")
        defer {
            _ = try? lab.docker(new, ["swarm", "leave", "--force"])
            _ = try? lab.docker("n1", ["node", "rm", "--force", new])
        }
        let addedAt = ContinuousClock.now

        // A visitor through the proxy from before the replacement to the end of the heal.
        let site = WordPressSite(base: "http://\(host):\(Self.port)")
        let visitor = SteadyClient(site: site, paths: ["/"], cookie: nil)
        visitor.start()
        defer { visitor.stop() }
        let warm = ContinuousClock.now
        try lab.waitFor("the site answering before the replacement", seconds: 60) { () -> Bool? in
            visitor.successes(after: warm) >= 3 ? true : nil
        }

        // The replacement, from n3 (a pool host), the Swarm manager reached by DOCKER_HOST.
        let probe = try brickctl("n3", ["peer", "probe", new], timeout: 120)
        try #require(probe.succeeded, "peer probe \(new): \(probe.stdout)\(probe.stderr)")
        let replace = { (extra: [String]) throws -> Command.Output in
            try lab.exec(
                "n3",
                [
                    "env", "BRICKCTL_DOCKER=/usr/bin/docker", "DOCKER_HOST=\(managerSocket)", Fixtures.brickctl, "node",
                    "replace", old, new, "--swarm", "--timeout", "180s",
                ] + extra, timeout: 300)
        }
        let dry = try replace(["--dry-run"])
        #expect(
            dry.succeeded && dry.stdout.contains("replace-brick \(Self.volume) \(old):")
                && dry.stdout.contains("Nothing was changed"), "\(dry.stdout)\(dry.stderr)")
        let replaceAt = ContinuousClock.now
        let replaced = try replace([])
        let replaceTime = ContinuousClock.now - replaceAt
        print("node drill: node replace output:\n\(replaced.stdout)\(replaced.stderr)")
        if !replaced.succeeded { print("node drill: heal info:\n\(replaceDrillHealDetails())") }
        try #require(replaced.succeeded, "node replace: \(replaced.stdout)\(replaced.stderr)")
        #expect(replaced.stdout.contains("verified: 3 copies"), "\(replaced.stdout)")
        #expect(replaced.stdout.contains("detached \(old)"), "\(replaced.stdout)")

        // Three healthy copies again: n3, n4 and n5, nothing pending, the same files everywhere.
        try replaceDrillWaitHealed("after node replace")
        let healedAt = ContinuousClock.now
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
        #expect(!manifests[0].files.isEmpty, "no file on \(bricks[0])")
        #expect(!(try lab.exec("n3", ["gluster", "pool", "list"]).stdout.contains(old)), "\(old) still in the pool")

        // The labels moved; twice-safe.
        #expect(try replaceDrillLabels(old).isEmpty, "labels left on \(old)")
        let newLabels = try replaceDrillLabels(new)
        for (key, value) in labelsBefore { #expect(newLabels[key] == value, "label \(key) on \(new): \(newLabels)") }
        let again = try replace([])
        #expect(
            again.succeeded && again.stdout.contains("nothing to detach"), "second run: \(again.stdout)\(again.stderr)")

        // The stack's tasks run where the labels say.
        let nodes = ["n1", "n3", "n4", new]
        var labels: [String: [String: String]] = [:]
        for node in nodes { labels[node] = try replaceDrillLabels(node) }
        for task in try lab.runningTasks("\(Self.stack)_db") {
            #expect(labels[task]?["database"] == "true", "database task on \(task), labels \(labels)")
        }
        let wordpress = try lab.runningTasks("\(Self.stack)_wordpress")
        #expect(!wordpress.isEmpty, "no WordPress task")
        for task in wordpress {
            #expect(
                labels[task]?["wordpress"] == "true" && labels[task]?["database"] != "true",
                "WordPress task on \(task), labels \(labels)")
        }
        visitor.stop()

        // The site kept answering: no error answer during the replacement and the heal.
        let figures = visitor.figures(from: replaceAt, to: healedAt)
        let errors = visitor.failures(after: replaceAt).split(separator: " ").filter { !$0.contains(":000") }
        #expect(errors.isEmpty, "error answers during the node replacement: \(visitor.failures(after: replaceAt))")
        #expect(visitor.successes(after: replaceAt, before: healedAt) > 0, "no page during the replacement")
        print(
            "NODE-REPLACE: \(old) dead, \(new) added (lab node add \(drillSecondsOf(addedAt - drillStart)) s incl. waiting for \(old) to be seen down); node replace \(old) \(new) --swarm to three verified copies (\(manifests[0].files.count) files, \(manifests[0].bytes) bytes per brick): \(drillSecondsOf(replaceTime)) s; pages through the proxy meanwhile: \(figures.failed)/\(figures.total) failed, longest gap \(drillSecondsOf(figures.longestGap)) s; whole drill \(drillSecondsOf(ContinuousClock.now - drillStart)) s; labels moved: \(labelsBefore.isEmpty ? "none (\(old) had none)" : labelsBefore.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","))"
        )
    }

    /// `heal info` from n3 and, for each pending entry, its AFR xattrs on every brick (for a
    /// failure message: which entries, which bricks, what they blame).
    func replaceDrillHealDetails() -> String {
        var out = ""
        for argv in [["heal", Self.volume, "info"], ["status", Self.volume], ["get", Self.volume, "auth.allow"]] {
            out += (try? lab.exec("n3", ["gluster", "volume"] + argv, timeout: 60))?.stdout ?? ""
        }
        for node in ["n3", "n4", "n5"] {
            let brick = "/data/glusterfs/brick1/brick/\(Self.volume)"
            out += "\(node): \n"
            out +=
                (try? lab.exec(
                    node,
                    [
                        "sh", "-c",
                        "ls \(brick)/.glusterfs/indices/xattrop \(brick)/.glusterfs/indices/dirty 2>&1 | head -20; for g in $(ls \(brick)/.glusterfs/indices/xattrop | grep -v xattrop | head -8); do p=\(brick)/.glusterfs/$(echo $g | cut -c1-2)/$(echo $g | cut -c3-4)/$g; echo \"== $g\"; ls -la $p 2>&1 | head -2; getfattr -d -m . -e hex $p 2>&1 | grep -v selinux; done",
                    ], timeout: 60))?.stdout ?? ""
        }
        return out
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
