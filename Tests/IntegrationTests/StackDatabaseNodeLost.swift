import Foundation
import HostIO
import Testing

extension Integration.StackDeployTests {
    /// Issue 17's drill on the deployed stack (WordPress installed by `nodeFailure`), the LAST step
    /// of the stack test: posts are written, the backup service is asked for a dump and `backup
    /// create` saves it with wp-content into restic, more posts are written after it; then the
    /// database node n2 dies for good: `scripts/lab node rm n2` kills its processes and containers,
    /// destroys its disks (the database disk db1 and its brick disk: partitions removed, loop
    /// devices detached, images deleted) and deletes its network namespace. `stack restore
    /// --db-node n4` is refused (n4 has no prepared database disk) with nothing changed; `stack
    /// restore --db-node n3` (n3's second disk, prepared as db1) brings the site back: the posts up
    /// to the dump are there, the ones after it are the loss window, WordPress runs on n4 only, the
    /// site answers through the proxy. Then `stack restore --from SNAPSHOT --files --force` over
    /// the running database: the snapshot's file is back in wp-content, and the old database
    /// volume is kept aside on n3. n2 stays gone (its plugin pid leaves `plugins`); the lab is
    /// rebuilt for any later suite.
    func databaseNodeLost(host: String, plugins: inout [String: Int32]) throws {
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
        /// A shell command in n3 with the stack's wp-content volume mounted at /mnt/drill-files.
        func inWpContent(_ script: String) throws -> Command.Output {
            try lab.exec(
                newDbNode,
                [
                    "sh", "-c",
                    "mkdir -p /mnt/drill-files && mount -t glusterfs n3:/\(Self.volume)/brickctl/volumes/\(Self.stack)_wp-content /mnt/drill-files && cd /mnt/drill-files && { \(script); }; rc=$?; cd /; umount /mnt/drill-files; exit $rc",
                ], timeout: 60)
        }
        for index in 1...3 {
            let made = try sql(dbNode, db, insert("before-dump-\(index)"))
            try #require(made.succeeded, "insert: \(made.stderr)")
        }
        let fileText = "drill \(UUID().uuidString)"
        let wrote = try inWpContent("printf '%s' '\(fileText)' >drill-file.txt")
        try #require(wrote.succeeded, "a file into wp-content: \(wrote.stderr)")

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
        let savedResult = try? JSONSerialization.jsonObject(with: Data(saved.stdout.utf8)) as? [String: Any]
        let snapshot = savedResult?["snapshot"] as? String
        // Tagged with the site's WordPress version (Debian's package in the lab image: 6.x).
        #expect(
            (savedResult?["wordpressVersion"] as? String)?.hasPrefix("6.") == true,
            "wordpress version: \(saved.stderr.suffix(400))")
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

        // The database node dies for good: its disks destroyed, the machine gone from the lab.
        let lostAt = ContinuousClock.now
        try lab.removeNode(dbNode)
        plugins[dbNode] = nil
        #expect(!(try lab.exec(dbNode, ["true"])).succeeded, "n2 is gone from the lab")
        try lab.waitFor("the manager seeing \(dbNode) down", seconds: 120) { () -> Bool? in
            let state = try lab.docker("n1", ["node", "inspect", "--format", "{{.Status.State}}", dbNode])
            return state.stdout.hasPrefix("down") ? true : nil
        }
        let downAfter = ContinuousClock.now - lostAt

        // A node without a prepared database disk: refused before anything changes.
        let noDisk = try brickctl("n1", restoreArguments + ["--db-node", "n4"], timeout: 300)
        #expect(
            noDisk.status == 1 && noDisk.stderr.contains("n4 cannot hold the database")
                && noDisk.stderr.contains("brickctl prepare"), "\(noDisk.stdout)\(noDisk.stderr)")
        let labels = try lab.docker("n1", ["node", "inspect", "--format", "{{json .Spec.Labels}}", "n2", "n4"])
        #expect(
            labels.stdout.split(separator: "\n").map(String.init) == [
                "{\"database\":\"true\"}", "{\"wordpress\":\"true\"}",
            ], "labels unchanged: \(labels.stdout)")

        // The runbook: restore onto n3, the node with the second prepared disk.
        let restoreStart = ContinuousClock.now
        let restore = try brickctl("n1", restoreArguments + ["--db-node", newDbNode, "--json"], timeout: 900)
        let restoreTime = ContinuousClock.now - restoreStart
        print("drill: stack restore output:\n\(restore.stdout)\(restore.stderr)")
        try #require(restore.succeeded, "stack restore: \(restore.stdout)\(restore.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(restore.stdout.utf8)) as? [String: Any])
        #expect(result["databaseNode"] as? String == newDbNode)
        #expect(result["wordpressReplicas"] as? Int == 1)
        #expect(restore.stderr.contains("WordPress replica(s) instead of 2"), "says WordPress runs one replica")
        // What the loader said came from its report beside the dumps, not from the task's log.
        #expect(
            restore.stderr.contains("loader: RESTORED") && !restore.stderr.contains("left no report"),
            "\(restore.stderr)")

        // Where things run now; what the database holds (on n3's database disk).
        #expect(try lab.runningTasks("\(Self.stack)_db") == [newDbNode])
        let onDisk = try lab.exec(newDbNode, ["ls", "\(Self.localRoot)/\(Self.stack)_db-data/wordpress"])
        #expect(onDisk.succeeded && onDisk.stdout.contains("wp_posts"), "\(onDisk.stdout)\(onDisk.stderr)")
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
            "DRILL: database node \(dbNode) lost (disks destroyed, node removed); Swarm saw it down after \(downAfter); stack restore --db-node \(newDbNode) took \(restoreTime) (RTO from the command to the site serving the restored posts); lost: the 2 posts written after the dump (RPO: writes since the last dump, \(ContinuousClock.now - dumpedAt) ago at the end)"
        )

        // The snapshot with its files, over the running database: --force keeps the old volume.
        let snapshotID = try #require(snapshot, "backup create's snapshot id")
        let removed = try inWpContent("rm drill-file.txt")
        try #require(removed.succeeded, "\(removed.stderr)")
        let forcedStart = ContinuousClock.now
        let forced = try brickctl(
            "n1",
            restoreArguments + ["--from", String(snapshotID.prefix(8)), "--files", "--force", "--json"] + repository,
            timeout: 900)
        let forcedTime = ContinuousClock.now - forcedStart
        print("drill: stack restore --files --force output:\n\(forced.stdout)\(forced.stderr)")
        try #require(forced.succeeded, "stack restore --files --force: \(forced.stdout)\(forced.stderr)")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(forced.stdout.utf8)) as? [String: Any])
        let freshVolume = try #require(second["databaseVolume"] as? String)
        #expect(freshVolume.hasPrefix("\(Self.stack)_db-data-"), "a fresh volume: \(freshVolume)")
        #expect(second["keptAside"] as? String == "\(Self.stack)_db-data on \(newDbNode)")
        #expect((second["filesRestored"] as? Int ?? 0) >= 1)
        #expect(try inWpContent("cat drill-file.txt").stdout == fileText, "the snapshot's file is back")
        let kept = try lab.exec(newDbNode, ["ls", "\(Self.localRoot)/\(Self.stack)_db-data/wordpress"])
        #expect(kept.succeeded && kept.stdout.contains("wp_posts"), "the old data stays: \(kept.stderr)")
        let fresh = try lab.exec(newDbNode, ["ls", "\(Self.localRoot)/\(freshVolume)/wordpress"])
        #expect(fresh.succeeded && fresh.stdout.contains("wp_posts"), "the new data: \(fresh.stderr)")
        let again = try WordPressSite(base: "http://\(host):\(Self.port)").get("/", timeout: 20)
        #expect(again.status == 200 && again.body.contains("before-dump-3"), "front page: \(again.status ?? 0)")
        print("DRILL: stack restore --from \(snapshotID.prefix(8)) --files --force took \(forcedTime)")

        // --from DUMPFILE (the dump the snapshot restore left on the manager): checked, planned.
        let dumpFile = try lab.exec(
            "n1", ["find", "/run/brickctl-drill-restic/state/\(Self.stack)/restore", "-name", "*.sql.zst"]
        ).stdout.split(separator: "\n").first.map(String.init)
        let fromFile = try brickctl(
            "n1", restoreArguments + ["--from", try #require(dumpFile), "--force", "--dry-run"], timeout: 120)
        #expect(
            fromFile.succeeded && fromFile.stderr.contains("sha256 verified")
                && fromFile.stdout.contains("would restore"), "\(fromFile.stdout)\(fromFile.stderr)")
    }
}
