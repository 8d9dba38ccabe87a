import Foundation
import HostIO
import Testing

extension Integration.StackDeployTests {
    /// Issue 20's correctness bounds, on the deployed stack (all of wp-content on the Gluster
    /// volume, the web profile, the plugin's mount options, the lab image's PHP settings), with the
    /// real site: files are written through the Gluster mount of one WordPress node — the mount its
    /// replica uses — and fetched over HTTP from the replica on the other node (HAProxy pinned to it
    /// by its SERVERID cookie).
    ///
    /// Bounds asserted (stated in README's "WordPress on Gluster: speed and coherence"):
    /// - an upload is served by the other replica at once: 50 media files uploaded through
    ///   WordPress's own uploader (the REST API, logged in, on the writing node's replica), each
    ///   fetched once right after its upload from the other replica, every one 200 with its
    ///   content (no retry); and 50 files written through the Gluster mount, the same way;
    /// - a deleted file is no longer served within `deletedBound` (the kernel's 1 s entry and
    ///   attribute timeouts; the bricks' upcalls drop Gluster's own caches at once): each of the
    ///   50, just served by the other replica, deleted and polled there until 404;
    /// - a plugin file replaced (a new file renamed over it, as a plugin update writes it) runs on
    ///   the other replica within `codeBound` (OPcache's revalidate_freq of 2 s + those 1 s);
    /// - a plugin installed from the admin page (its zip uploaded, then activated) on one replica
    ///   runs on the other within `codeBound`;
    /// - a template added to a theme is in the other replica's cached template list
    ///   (`ThemePatternCache`) within `deletedBound` (the folder's stat, same 1 s).
    func contentCoherence(site: WordPressSite) throws {
        let started = ContinuousClock.now
        let (writer, reader) = (Self.wordpressNodes[0], Self.wordpressNodes[1])
        let content =
            "/run/brickctl-stack-plugin/mounts/\(Self.volume)/brickctl/volumes/\(Self.stack)_wp-content"
        // Each replica says which node it runs on, from its own container layer.
        for node in Self.wordpressNodes {
            let container = try #require(try lab.container(of: "\(Self.stack)_wordpress", on: node))
            let marked = try lab.docker(
                node, ["exec", "-i", container, "tee", "/usr/share/wordpress/brickctl-node.txt"], input: "\(node)\n")
            try #require(marked.succeeded, "marking the replica on \(node): \(marked.stderr)")
        }
        let run = try lab.exec(
            writer, ["bash", "-c", Self.coherenceScript, "coherence", content, "http://n1:\(Self.port)", reader],
            timeout: 240)
        print("stack test: content coherence (\(writer) writes, \(reader) serves):\n\(run.stdout)\(run.stderr)")
        try #require(run.succeeded, "the coherence drill: \(run.stdout)\(run.stderr)")
        var facts: [String: String] = [:]
        for line in run.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { facts[parts[0]] = parts[1] }
        }
        #expect(facts["pinned"] == reader, "HAProxy was not pinned to \(reader): \(run.stdout)")
        #expect(facts["uploads"] == "50/50", "uploads served at once by \(reader): \(run.stdout)")
        #expect(facts["deleted"] == "50/50", "deleted files polled until gone: \(run.stdout)")
        let deleted = try #require(facts["deleted-gone-max-ms"].flatMap(Int.init), "\(run.stdout)")
        #expect(deleted <= Self.deletedBoundMilliseconds, "a deleted file was served for \(deleted) ms")
        let replaced = try #require(facts["plugin-replaced-ms"].flatMap(Int.init), "\(run.stdout)")
        #expect(replaced <= Self.codeBoundMilliseconds, "a replaced plugin file ran after \(replaced) ms")
        let listed = try #require(facts["template-listed-ms"].flatMap(Int.init), "\(run.stdout)")
        #expect(listed <= Self.deletedBoundMilliseconds, "a new template was left out of the list for \(listed) ms")
        #expect(
            facts["templates-same"]?.hasPrefix("4/4 ") == true,
            "the theme cache's templates differ from WordPress's own: \(run.stdout)")

        // Through WordPress itself, logged in on the writer's replica: uploads, a plugin.
        let cookies = try lab.waitFor("a SERVERID cookie for each WordPress replica", seconds: 60) {
            () -> [String: String]? in
            var found: [String: String] = [:]
            for _ in 0..<12 {
                guard let cookie = try site.serverCookie() else { continue }
                let node = try site.get("/brickctl-node.txt", cookie: cookie).body
                found[node.trimmingCharacters(in: .whitespacesAndNewlines)] = cookie
            }
            return Set(found.keys) == Set(Self.wordpressNodes) ? found : nil
        }
        let (writerCookie, readerCookie) = (try #require(cookies[writer]), try #require(cookies[reader]))
        let session = try site.logIn(pinnedTo: writerCookie)
        defer { site.endSession(session) }
        let tag = Substring(UUID().uuidString.prefix(8).lowercased())
        var served: [Int] = []
        for index in 1...50 {
            let upload = try site.upload(
                session: session, name: "coherence-\(tag)-\(index).txt",
                content: "upload \(index) through WordPress on \(writer)'s replica \(tag)\n")
            let answer = try site.get(upload.path, cookie: readerCookie)
            if answer.status == 200 && answer.body == upload.content { served.append(index) }
        }
        #expect(served.count == 50, "uploads through WordPress served at once by \(reader): \(served)")
        // Each side of it happened where it should: the uploads in the writer's log, the fetches in the reader's.
        for (node, request, expected) in [
            (writer, "POST /?rest_route=/wp/v2/media", 50), (reader, "coherence-\(tag)-", 50),
        ] {
            let container = try #require(try lab.container(of: "\(Self.stack)_wordpress", on: node))
            let logs = try lab.docker(node, ["logs", "--tail", "2000", container])
            let seen = (logs.stdout + logs.stderr).split(separator: "\n").filter { $0.contains(request) }.count
            #expect(seen >= expected, "\(node)'s replica logged \(seen) requests '\(request)', not \(expected)")
        }

        let installed = try pluginFromTheAdmin(site: site, session: session, readerCookie: readerCookie, tag: tag)
        #expect(
            installed <= Self.codeBoundMilliseconds,
            "a plugin installed on \(writer) ran on \(reader) after \(installed) ms")
        print(
            "stack test: through WordPress: \(served.count)/50 uploads served at once by the other replica; "
                + "a plugin installed from the admin page ran there after \(installed) ms")
        print("stack test: content coherence took \(ContinuousClock.now - started)")
    }

    /// Installs a plugin from the admin page (its zip uploaded, as "Add New Plugin → Upload" does,
    /// then activated) through the logged-in `session`, and returns how long after the activation
    /// the other replica (`readerCookie`) first ran it (milliseconds). The plugin adds a header
    /// naming `tag` to every page. Its folder is removed afterwards.
    func pluginFromTheAdmin(
        site: WordPressSite, session: (jar: String, nonce: String), readerCookie: String, tag: Substring
    ) throws -> Int {
        let slug = "brickctl-probe-\(tag)"
        let folder = NSTemporaryDirectory() + "brickctl-coherence-\(tag)"
        try FileManager.default.createDirectory(atPath: "\(folder)/\(slug)", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let php = """
            <?php
            /*
             * Plugin Name: brickctl probe \(tag)
             * Description: issue 20's coherence drill: installed from the admin page on one replica.
             */
            add_action('send_headers', function () { header('X-Brickctl-Probe: \(tag)'); });

            """
        try Data(php.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(slug)/\(slug).php"))
        let zip = "\(folder)/\(slug).zip"
        let zipped = try Command("python3", ["-m", "zipfile", "-c", zip, "\(folder)/\(slug)"]).run(timeout: 30)
        try #require(zipped.succeeded, "zipping the plugin: \(zipped.stderr)")
        defer {
            let plugins =
                "/run/brickctl-stack-plugin/mounts/\(Self.volume)/brickctl/volumes/\(Self.stack)_wp-content/plugins"
            _ = try? lab.exec(Self.wordpressNodes[0], ["rm", "-rf", "\(plugins)/\(slug)"])
        }

        let activation = try site.installPlugin(session: session, zip: zip)
        let activated = try site.curl([
            "-b", session.jar, "-o", "/dev/null", "-w", "%{http_code}", site.base + activation,
        ])
        try #require(activated.stdout == "302", "activating \(slug): HTTP \(activated.stdout) \(activated.stderr)")
        let start = ContinuousClock.now
        while true {
            let headers = try site.curl([
                "-b", "SERVERID=\(readerCookie)", "-o", "/dev/null", "-D", "-", site.base + "/",
            ])
            if headers.stdout.lowercased().contains("x-brickctl-probe: \(tag)") { break }
            let waited = ContinuousClock.now - start
            try #require(
                waited < .seconds(30), "the plugin installed from the admin page never ran on the other replica")
            Thread.sleep(forTimeInterval: 0.05)
        }
        return Int((ContinuousClock.now - start) / .milliseconds(1))
    }

    /// A deleted file is gone within 1 s (entry/attribute timeouts) plus 2 s for a loaded machine.
    static let deletedBoundMilliseconds = 3000
    /// A replaced plugin file runs within 3 s (revalidate_freq 2 + 1 s) plus 2 s for a loaded machine.
    static let codeBoundMilliseconds = 5000

    /// The drill, run in the writing node: `$1` the site's wp-content on that node's Gluster mount,
    /// `$2` the proxy's URL, `$3` the node whose replica must serve. Prints `KEY VALUE` lines.
    static let coherenceScript = #"""
        set -eu
        content=$1 url=$2 want=$3
        now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
        # The SERVERID cookie of the replica on $want (HAProxy hands one out with each answer).
        cookie=
        for i in $(seq 1 40); do
          answer=$(curl -s -m 5 -i "$url/brickctl-node.txt" | tr -d '\r') || true
          if [ "$(tail -1 <<<"$answer")" = "$want" ]; then
            cookie=$(sed -n 's/^[Ss]et-[Cc]ookie: \(SERVERID=[^;]*\).*/\1/p' <<<"$answer")
            [ -n "$cookie" ] && break
          fi
        done
        [ -n "$cookie" ] || { echo "no SERVERID cookie for $want" >&2; exit 1; }
        get() { curl -s -m 5 -b "$cookie" "$url$1" || true; }
        code() { curl -s -m 5 -o /dev/null -w '%{http_code}' -b "$cookie" "$url$1" || true; }
        echo "pinned $(get /brickctl-node.txt)"

        # Uploads: each new file fetched once, right after its write.
        dir=uploads/coherence-$$
        install -d -o 33 -g 33 "$content/$dir"
        served=0
        for i in $(seq 1 50); do
          echo "upload $i $$" >"$content/$dir/u$i.txt"
          [ "$(get "/wp-content/$dir/u$i.txt")" = "upload $i $$" ] && served=$((served + 1))
        done
        echo "uploads $served/50"

        # Each file deleted (just served by the reader, so in its caches): 404 within the bound.
        gone=0 longest=0
        for i in $(seq 1 50); do
          rm "$content/$dir/u$i.txt"
          start=$(now_ms)
          until [ "$(code "/wp-content/$dir/u$i.txt")" = 404 ]; do
            [ $(( $(now_ms) - start )) -lt 30000 ] || { echo "deleted file u$i.txt still served after 30 s" >&2; exit 1; }
            sleep 0.05
          done
          took=$(( $(now_ms) - start ))
          [ "$took" -le "$longest" ] || longest=$took
          gone=$((gone + 1))
        done
        echo "deleted $gone/50"
        echo "deleted-gone-max-ms $longest"

        # A plugin file replaced by a new file renamed over it (a plugin update's way).
        plugin=plugins/brickctl-coherence-$$
        install -d -o 33 -g 33 "$content/$plugin"
        echo '<?php echo "version-1";' >"$content/$plugin/probe.php"
        start=$(now_ms)
        until [ "$(get "/wp-content/$plugin/probe.php")" = version-1 ]; do
          [ $(( $(now_ms) - start )) -lt 30000 ] || { echo "the plugin file never ran" >&2; exit 1; }
          sleep 0.05
        done
        echo '<?php echo "version-2, replaced";' >"$content/$plugin/.probe.php.new"
        mv "$content/$plugin/.probe.php.new" "$content/$plugin/probe.php"
        start=$(now_ms)
        until [ "$(get "/wp-content/$plugin/probe.php")" = "version-2, replaced" ]; do
          [ $(( $(now_ms) - start )) -lt 90000 ] || { echo "the replaced plugin file never ran" >&2; exit 1; }
          sleep 0.05
        done
        echo "plugin-replaced-ms $(( $(now_ms) - start ))"

        # The theme cache (ThemePatternCache, read from its Swarm config): a template added here is
        # in the other replica's cached template list within the bound. list.php asks the cache as
        # WordPress's get_block_templates does (the version only names the cache file).
        theme=themes/brickctl-coherence-$$/templates
        install -d -o 33 -g 33 "$content/$theme"
        echo '<!-- wp:paragraph /-->' >"$content/$theme/first.html"
        cat >"$content/$plugin/list.php" <<'PHP'
        <?php $GLOBALS['wp_version'] = '6.1'; require_once '/usr/local/share/brickctl/theme-patterns.php';
        echo implode(' ', array_map('basename', brickctl_block_templates_paths('/var/lib/wordpress/wp-content/' . $_GET['d'])));
        PHP
        start=$(now_ms)
        until [ "$(get "/wp-content/$plugin/list.php?d=$theme")" = first.html ]; do
          [ $(( $(now_ms) - start )) -lt 30000 ] || { echo "the theme cache never listed first.html" >&2; exit 1; }
          sleep 0.05
        done
        echo '<!-- wp:paragraph /-->' >"$content/$theme/second.html"
        start=$(now_ms)
        until [ "$(get "/wp-content/$plugin/list.php?d=$theme")" = "first.html second.html" ]; do
          [ $(( $(now_ms) - start )) -lt 30000 ] || { echo "the theme cache never listed second.html" >&2; exit 1; }
          sleep 0.05
        done
        echo "template-listed-ms $(( $(now_ms) - start ))"

        # The theme cache answers get_block_templates() as WordPress 6.1 itself does (it reads only
        # the template files a query keeps): the same templates, content included, for the site's
        # block theme, with the cache's filter and without it (in any order: WordPress lists them
        # in the folder's readdir order, the cache sorted).
        cat >"$content/$plugin/templates.php" <<'PHP'
        <?php
        define( 'WP_USE_THEMES', false );
        require '/usr/share/wordpress/wp-load.php';
        add_filter( 'stylesheet', function () { return 'twentytwentythree'; } );
        add_filter( 'template', function () { return 'twentytwentythree'; } );
        $queries = array(
        	array( array(), 'wp_template' ),
        	array( array( 'slug__in' => array( 'home', 'index' ) ), 'wp_template' ),
        	array( array(), 'wp_template_part' ),
        	array( array( 'area' => 'header' ), 'wp_template_part' ),
        );
        $same      = 0;
        $reordered = 0;
        foreach ( $queries as $query ) {
        	$cached = get_block_templates( $query[0], $query[1] );
        	remove_filter( 'pre_get_block_templates', 'brickctl_pre_get_block_templates', 10 );
        	$core = get_block_templates( $query[0], $query[1] );
        	add_filter( 'pre_get_block_templates', 'brickctl_pre_get_block_templates', 10, 3 );
        	// WordPress lists the folders in readdir order, the cache sorted: compare as sets.
        	$in_order = serialize( $cached ) === serialize( $core );
        	$by_id    = function ( $a, $b ) { return strcmp( $a->id, $b->id ); };
        	usort( $cached, $by_id );
        	usort( $core, $by_id );
        	if ( count( $core ) > 0 && serialize( $cached ) === serialize( $core ) ) {
        		$reordered += $in_order ? 0 : 1;
        		$same++;
        	}
        }
        echo $same . '/' . count( $queries ) . ' (in another order: ' . $reordered . ')';
        PHP
        echo "templates-same $(get "/wp-content/$plugin/templates.php")"
        rm -rf "$content/$dir" "$content/$plugin" "$content/${theme%/templates}"
        """#
}
