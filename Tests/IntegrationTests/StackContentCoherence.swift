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
    /// - an upload is served by the other replica at once: 50 new files, each fetched once right
    ///   after its write, every one 200 with its content (no retry);
    /// - a deleted file is no longer served within `deletedBound` (the kernel's 1 s entry and
    ///   attribute timeouts; the bricks' upcalls drop Gluster's own caches at once);
    /// - a plugin file replaced (a new file renamed over it, as a plugin update writes it) runs on
    ///   the other replica within `codeBound` (OPcache's revalidate_freq of 2 s + those 1 s);
    /// - a template added to a theme is in the other replica's cached template list
    ///   (`ThemePatternCache`) within `deletedBound` (the folder's stat, same 1 s).
    func contentCoherence(host: String) throws {
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
            timeout: 180)
        print("stack test: content coherence (\(writer) writes, \(reader) serves):\n\(run.stdout)\(run.stderr)")
        try #require(run.succeeded, "the coherence drill: \(run.stdout)\(run.stderr)")
        var facts: [String: String] = [:]
        for line in run.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { facts[parts[0]] = parts[1] }
        }
        #expect(facts["pinned"] == reader, "HAProxy was not pinned to \(reader): \(run.stdout)")
        #expect(facts["uploads"] == "50/50", "uploads served at once by \(reader): \(run.stdout)")
        let deleted = try #require(facts["deleted-gone-ms"].flatMap(Int.init), "\(run.stdout)")
        #expect(deleted <= Self.deletedBoundMilliseconds, "a deleted file was served for \(deleted) ms")
        let replaced = try #require(facts["plugin-replaced-ms"].flatMap(Int.init), "\(run.stdout)")
        #expect(replaced <= Self.codeBoundMilliseconds, "a replaced plugin file ran after \(replaced) ms")
        let listed = try #require(facts["template-listed-ms"].flatMap(Int.init), "\(run.stdout)")
        #expect(listed <= Self.deletedBoundMilliseconds, "a new template was left out of the list for \(listed) ms")
        print("stack test: content coherence took \(ContinuousClock.now - started)")
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

        # A deleted file (just served by the reader, so in its caches): 404 within the bound.
        rm "$content/$dir/u1.txt"
        start=$(now_ms)
        until [ "$(code "/wp-content/$dir/u1.txt")" = 404 ]; do
          [ $(( $(now_ms) - start )) -lt 30000 ] || { echo "deleted file still served after 30 s" >&2; exit 1; }
          sleep 0.05
        done
        echo "deleted-gone-ms $(( $(now_ms) - start ))"

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
        rm -rf "$content/$dir" "$content/$plugin" "$content/${theme%/templates}"
        """#
}
