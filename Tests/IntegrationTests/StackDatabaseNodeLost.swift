import Foundation
import HostIO
import Testing

extension Integration.StackDeployTests {
    /// Issue 17's drill on the deployed stack (WordPress installed by `nodeFailure`): posts are
    /// written, the backup service is asked for a dump, more posts are written after it, then the
    /// database node n2 is cut off the network for good (its veth down on the lab's switch: its
    /// MariaDB and its local disk are out of reach, Swarm marks it down). `brickctl stack restore
    /// --db-node n3` from the manager brings the site back: the posts up to the dump are there,
    /// the ones after it are the loss window, WordPress runs on n4 only, the site answers through
    /// the proxy. n2's link comes back at the end (for the lab's teardown), not its role.
    func databaseNodeLost(host: String) throws {
        let dbNode = "n2"
        let newDbNode = "n3"
        let backups = "/data/glusterfs/brick1/brick/\(Self.volume)/brickctl/volumes/\(Self.stack)_backups"

        let db = try #require(try lab.container(of: "\(Self.stack)_db", on: dbNode))
        func sql(_ node: String, _ container: String, _ statement: String) throws -> Command.Output {
            try lab.docker(
                node,
                [
                    "exec", container, "sh", "-c",
                    "umask 077; printf '[client]\\nuser=root\\npassword=%s\\n' \"$(cat /run/secrets/db_root_password)\" >/tmp/drill.cnf; mariadb --defaults-extra-file=/tmp/drill.cnf -N wordpress -e \"$1\"",
                    "sh", statement,
                ])
        }
        func insert(_ title: String) -> String {
            "INSERT INTO wp_posts (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, guid, post_type) VALUES (1, NOW(), UTC_TIMESTAMP(), 'drill', '\(title)', '', 'publish', '\(title)', '', '', NOW(), UTC_TIMESTAMP(), '', '', 'post')"
        }
        for index in 1...3 {
            let made = try sql(dbNode, db, insert("before-dump-\(index)"))
            try #require(made.succeeded, "insert: \(made.stderr)")
        }

        // A dump now: the backup service looks for dump-now every few seconds.
        let backupNode = try #require(try lab.runningTasks("\(Self.stack)_backup").first)
        let backup = try #require(try lab.container(of: "\(Self.stack)_backup", on: backupNode))
        let before = try lab.exec(newDbNode, ["cat", "\(backups)/status.json"]).stdout
        try #require(try lab.docker(backupNode, ["exec", backup, "touch", "/backups/dump-now"]).succeeded)
        let status = try lab.waitFor("a fresh dump after the posts", seconds: 90) { () -> String? in
            let now = try lab.exec(newDbNode, ["cat", "\(backups)/status.json"]).stdout
            return now != before && now.contains("\"lastAttemptOk\":true") ? now : nil
        }
        print("drill: dump taken: \(status)")
        // The manager may mount the volume (auth.allow admits the pool's hosts only).
        let n1Address =
            try lab.exec(newDbNode, ["getent", "ahostsv4", "n1"]).stdout.split(separator: " ").first
            .map(String.init) ?? "n1"
        let allow = try brickctl(newDbNode, ["volume", "allow", Self.volume, n1Address], timeout: 120)
        #expect(allow.succeeded, "volume allow: \(allow.stdout)\(allow.stderr)")

        // Off the cluster too: `backup create` from the manager asks the service for a fresh dump
        // and saves it with wp-content (both mounted from Gluster) into a restic repository there.
        let repository = [
            "--repo", "/run/brickctl-drill-restic/repo", "--password-file",
            "/run/brickctl-drill-restic/password", "--state-dir", "/run/brickctl-drill-restic/state",
        ]
        let initialized = try brickctl("n1", ["backup", "init"] + repository, timeout: 120)
        #expect(initialized.succeeded, "backup init: \(initialized.stdout)\(initialized.stderr)")
        let saved = try brickctl(
            "n1",
            ["backup", "create", "--stack", Self.stack, "--volume", Self.volume, "--server", newDbNode, "--json"]
                + ["--state-dir", "/run/brickctl-drill-restic/state"], timeout: 300)
        #expect(saved.succeeded, "backup create: \(saved.stdout)\(saved.stderr)")
        print("drill: backup create: \(saved.stdout)\(saved.stderr.suffix(300))")
        let check = try brickctl(
            "n1", ["backup", "check", "--state-dir", "/run/brickctl-drill-restic/state"], timeout: 300)
        #expect(check.succeeded, "backup check: \(check.stdout)\(check.stderr)")

        let dumpedAt = ContinuousClock.now
        for index in 1...2 {
            try #require(try sql(dbNode, db, insert("after-dump-\(index)")).succeeded)
        }

        let restoreArguments = [
            "stack", "restore", "--name", Self.stack, "--volume", Self.volume, "--server", newDbNode, "--dir",
            "/run/brickctl-stack-\(Self.stack)", "--timeout", "240",
        ]
        // While the database runs: refused, nothing changed.
        let refused = try brickctl("n1", restoreArguments + ["--db-node", newDbNode], timeout: 300)
        #expect(
            refused.status == 1 && refused.stderr.contains("database runs on \(dbNode)")
                && refused.stderr.contains("--force"), "\(refused.stdout)\(refused.stderr)")
        #expect(try lab.runningTasks("\(Self.stack)_db") == [dbNode])

        // The database node dies: cut off for good, Swarm marks it down.
        let cut = try Command("ip", ["-n", "brickctl-\(SwarmLab.id)-sw", "link", "set", dbNode, "down"]).run(
            timeout: 10)
        try #require(cut.succeeded, "\(cut.stderr)")
        defer {
            _ = try? Command("ip", ["-n", "brickctl-\(SwarmLab.id)-sw", "link", "set", dbNode, "up"]).run(timeout: 10)
        }
        let cutAt = ContinuousClock.now
        try lab.waitFor("the manager seeing \(dbNode) down", seconds: 120) { () -> Bool? in
            let state = try lab.docker("n1", ["node", "inspect", "--format", "{{.Status.State}}", dbNode])
            return state.stdout.hasPrefix("down") ? true : nil
        }
        let downAfter = ContinuousClock.now - cutAt

        // n2 unreachable: the restore goes ahead (a running database was refused above).
        let restoreStart = ContinuousClock.now
        let restore = try brickctl("n1", restoreArguments + ["--db-node", newDbNode, "--json"], timeout: 900)
        let restoreTime = ContinuousClock.now - restoreStart
        print("drill: stack restore output:\n\(restore.stdout)\(restore.stderr)")
        try #require(restore.succeeded, "stack restore: \(restore.stdout)\(restore.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(restore.stdout.utf8)) as? [String: Any])
        #expect(result["databaseNode"] as? String == newDbNode)
        #expect(result["wordpressReplicas"] as? Int == 1)
        #expect(restore.stderr.contains("WordPress replica(s) instead of 2"), "says WordPress runs one replica")

        // Where things run now; what the database holds.
        #expect(try lab.runningTasks("\(Self.stack)_db") == [newDbNode])
        // Swarm's constraint enforcer stops the WordPress task on n3 once n3 lost the label.
        let wordpress = try? lab.waitFor("WordPress on n4 only", seconds: 60) { () -> [String]? in
            let nodes = try lab.runningTasks("\(Self.stack)_wordpress")
            return nodes == ["n4"] ? nodes : nil
        }
        let tasks = try lab.runningTasks("\(Self.stack)_wordpress")
        #expect(wordpress == ["n4"], "WordPress tasks: \(tasks)")
        let newDb = try #require(try lab.container(of: "\(Self.stack)_db", on: newDbNode))
        let titles = try sql(
            newDbNode, newDb, "SELECT post_title FROM wp_posts WHERE post_title LIKE '%-dump-%' ORDER BY post_title")
        #expect(
            titles.stdout.split(separator: "\n").map(String.init) == [
                "before-dump-1", "before-dump-2", "before-dump-3",
            ],
            "posts after the restore: \(titles.stdout)\(titles.stderr)")
        // The front page through the proxy, asked for by the site's own URL (WordPress redirects
        // other host names to it), lists the restored posts.
        let page = try WordPressSite(base: "http://\(host):\(Self.port)").get("/", timeout: 20)
        #expect(page.status == 200 && page.body.contains("before-dump-3"), "front page: \(page.status ?? 0)")
        #expect(!page.body.contains("after-dump-1"), "a post written after the dump")
        print(
            "DRILL: database node \(dbNode) cut off; Swarm saw it down after \(downAfter); stack restore --db-node \(newDbNode) took \(restoreTime) (RTO from the command to the site serving the restored posts); lost: the 2 posts written after the dump (RPO: writes since the last dump, \(ContinuousClock.now - dumpedAt) ago at the end)"
        )
    }
}
