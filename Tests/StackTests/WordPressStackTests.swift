import BrickctlTestSupport
import Foundation
import Stack
import Testing
import Yams

/// The rendered stack, parsed back with Yams, checked against the recipe's rules for every
/// combination of load balancing and image set.
@Suite(.offCooperativePool) struct WordPressStackTests {
    static let combinations: [(LoadBalancing, ImageSet)] = LoadBalancing.allCases.flatMap { lb in
        ImageSet.allCases.map { (lb, $0) }
    }

    func rendered(_ lb: LoadBalancing, _ images: ImageSet, replicas: Int = 2) throws -> Node {
        var stack = WordPressStack()
        stack.loadBalancing = lb
        stack.images = images
        stack.replicas = replicas
        stack.cookieKey = "test-key"
        let text = try stack.yaml()
        return try #require(try Yams.compose(yaml: text), "the YAML parses")
    }

    func strings(_ node: Node?) -> [String] { node?.sequence?.compactMap(\.string) ?? [] }

    @Test(arguments: combinations)
    func everyCombinationFollowsTheRules(lb: LoadBalancing, images: ImageSet) throws {
        let root = try rendered(lb, images)
        #expect(root["version"]?.string == "3.8")
        let services = try #require(root["services"]?.mapping)
        let names = Set(services.keys.compactMap(\.string))
        #expect(names == (lb == .proxy ? ["wordpress", "db", "haproxy", "backup"] : ["wordpress", "db", "backup"]))

        // WordPress: N replicas, never on the database node, wp-content on the shared brickctl volume.
        let wp = try #require(root["services"]?["wordpress"])
        #expect(wp["deploy"]?["replicas"]?.int == 2)
        #expect(
            Set(strings(wp["deploy"]?["placement"]?["constraints"])) == [
                "node.labels.wordpress==true", "node.labels.database!=true",
            ])
        #expect(wp["deploy"]?["endpoint_mode"]?.string == (lb == .proxy ? "dnsrr" : "vip"))
        #expect(wp["deploy"]?["update_config"]?["failure_action"]?.string == "rollback")
        #expect(wp["deploy"]?["rollback_config"]?["parallelism"]?.int == 1)
        #expect(strings(wp["healthcheck"]?["test"]).first == "CMD")
        let wpVolume = try #require(wp["volumes"]?.sequence?.first)
        #expect(wpVolume["source"]?.string == "wp-content")
        #expect(wpVolume["target"]?.string == images.wordpressContent)
        #expect(root["volumes"]?["wp-content"]?["driver"]?.string == "brickctl")
        // Strings, as Docker wants driver options: "33", not the integer 33.
        #expect(root["volumes"]?["wp-content"]?["driver_opts"]?["uid"] == Node("33", Tag(.str), .singleQuoted))
        #expect(root["volumes"]?["wp-content"]?["driver_opts"]?["uid"]?.string == "33")
        #expect(root["volumes"]?["wp-content"]?["driver_opts"]?["gid"]?.string == "33")
        #expect(wp["image"]?.string == images.wordpress)

        // The database: one replica on the database node, data on the local type of the plugin.
        let db = try #require(root["services"]?["db"])
        #expect(db["deploy"]?["replicas"]?.int == 1)
        #expect(strings(db["deploy"]?["placement"]?["constraints"]) == ["node.labels.database==true"])
        #expect(db["volumes"]?.sequence?.first?["source"]?.string == "db-data")
        #expect(db["volumes"]?.sequence?.first?["target"]?.string == "/var/lib/mysql")
        #expect(root["volumes"]?["db-data"]?["driver"]?.string == "brickctl")
        #expect(root["volumes"]?["db-data"]?["driver_opts"]?["type"]?.string == "local")
        #expect(db["image"]?.string == images.mariadb)
        #expect(strings(db["networks"]) == ["backend"])

        // Networks: overlay, the database's one internal.
        #expect(root["networks"]?["backend"]?["driver"]?.string == "overlay")
        #expect(root["networks"]?["backend"]?["internal"]?.bool == true)
        #expect(root["networks"]?["frontend"]?["driver"]?.string == "overlay")

        // Secrets: external, and only *_FILE paths in the environment.
        #expect(root["secrets"]?["db_password"]?["external"]?.bool == true)
        #expect(root["secrets"]?["db_password"]?["name"]?.string == "wp_db_password")
        #expect(root["secrets"]?["db_root_password"]?["external"]?.bool == true)
        for service in [wp, db] {
            let env = try #require(service["environment"]?.mapping)
            for (key, value) in env {
                let name = try #require(key.string)
                #expect(!name.hasSuffix("PASSWORD"), "\(name) would hold a password in plain text")
                if name.hasSuffix("_FILE") { #expect(value.string?.hasPrefix("/run/secrets/") == true) }
            }
        }
        #expect(wp["environment"]?["WORDPRESS_DB_PASSWORD_FILE"]?.string == "/run/secrets/db_password")
        #expect(db["environment"]?["MARIADB_ROOT_PASSWORD_FILE"]?.string == "/run/secrets/db_root_password")
        // The lab's WordPress never reaches for the internet (the dashboard waited 20 s on it);
        // the official image keeps WordPress's defaults. Both load the theme pattern cache.
        let extra = wp["environment"]?["WORDPRESS_CONFIG_EXTRA"]?.string
        #expect(extra?.hasSuffix(ThemePatternCache().configLine) == true)
        switch images {
        case .lab:
            #expect(extra?.contains("define('WP_HTTP_BLOCK_EXTERNAL', true);") == true)
            #expect(extra?.contains("define('AUTOMATIC_UPDATER_DISABLED', true);") == true)
            #expect(extra?.contains("define('WP_LANG_DIR', '\(ImageSet.labTranslations)');") == true)
            #expect(extra?.contains("define('FS_METHOD', 'direct');") == true)
        case .official:
            #expect(extra == ThemePatternCache().configLine)
        }
        let patterns = try #require(root["configs"]?["theme_patterns"])
        #expect(patterns["file"]?.string == ThemePatternCache.file)
        // A Swarm config cannot change: its name carries the text's digest, so a new text is a new config.
        #expect(patterns["name"]?.string?.hasSuffix("_patterns_\(ThemePatternCache().digest.prefix(12))") == true)
        #expect(
            wp["configs"]?.sequence?.contains { $0["target"]?.string == ThemePatternCache.path } == true,
            "the pattern cache is in the container, off the shared volume")

        switch lb {
        case .proxy:
            let proxy = try #require(root["services"]?["haproxy"])
            #expect(proxy["image"]?.string == images.haproxy)
            #expect(strings(proxy["deploy"]?["placement"]?["constraints"]) == ["node.role==manager"])
            let port = try #require(proxy["ports"]?.sequence?.first)
            #expect(port["mode"]?.string == "host")
            #expect(port["published"]?.int == 80 && port["target"]?.int == 80)
            #expect(wp["ports"] == nil, "no port of WordPress's own: the proxy is the way in")
            #expect(proxy["configs"]?.sequence?.first?["target"]?.string == images.haproxyConfigPath)
            let config = try #require(root["configs"]?["haproxy_cfg"])
            #expect(config["file"]?.string == "haproxy.cfg")
            #expect(config["name"]?.string?.hasPrefix("wp_haproxy_") == true)
        case .mesh:
            let port = try #require(wp["ports"]?.sequence?.first)
            #expect(port["mode"]?.string == "ingress")
            #expect(port["published"]?.int == 80)
            // Only the backup service's script, the replicas' readiness page and pattern cache.
            #expect(
                Set(root["configs"]?.mapping?.keys.compactMap(\.string) ?? []) == [
                    "backup_sh", "wordpress_ready", "theme_patterns",
                ])
        }
    }

    @Test func imageSetsChangeOnlyImagesAndPaths() throws {
        for lb in LoadBalancing.allCases {
            var official = try rendered(lb, .official)
            var lab = try rendered(lb, .lab)
            // Blank the image-specific fields; the rest must be identical.
            func blank(_ root: inout Node) {
                for service in ["wordpress", "db", "haproxy", "backup"] where root["services"]?[service] != nil {
                    root["services"]?[service]?["image"] = Node("IMAGE")
                }
                root["services"]?["wordpress"]?["volumes"] = Node("WP-CONTENT")
                // The health check runs a program of the image (curl or the lab's http-check).
                root["services"]?["wordpress"]?["healthcheck"]?["test"] = Node("IMAGE-CHECK")
                // The readiness page goes in the image's document root.
                root["services"]?["wordpress"]?["configs"] = Node("DOCUMENT-ROOT")
                if root["services"]?["haproxy"] != nil { root["services"]?["haproxy"]?["configs"] = Node("CONFIG") }
                // The lab's WordPress is kept off the internet (WORDPRESS_CONFIG_EXTRA).
                if let environment = root["services"]?["wordpress"]?["environment"]?.mapping {
                    root["services"]?["wordpress"]?["environment"] = Node.mapping(
                        Node.Mapping(environment.filter { $0.key != "WORDPRESS_CONFIG_EXTRA" }))
                }
            }
            blank(&official)
            blank(&lab)
            #expect(official == lab)
        }
    }

    @Test func renderingIsStableAndReplicasCount() throws {
        var stack = WordPressStack()
        stack.replicas = 3
        #expect(try stack.yaml() == stack.yaml())
        let root = try #require(try Yams.compose(yaml: stack.yaml()))
        #expect(root["services"]?["wordpress"]?["deploy"]?["replicas"]?.int == 3)
        // A new cookie key is a new HAProxy config, hence a new config name.
        var other = stack
        other.cookieKey = "another"
        #expect(stack.haproxyConfig.digest != other.haproxyConfig.digest)
        #expect(stack.haproxyConfig.text.contains("server-template wordpress 1-10 tasks.wordpress:80"))
        #expect(stack.haproxyConfig.text.contains("cookie SERVERID insert indirect nocache dynamic"))
    }

    @Test func badOptionsAreRefusedWithAHint() {
        var stack = WordPressStack()
        stack.replicas = 0
        #expect(
            throws: StackError(
                "give 1 to 64 WordPress replicas (one per wordpress-labelled node)", setting: .replicas, value: "0")
        ) {
            try stack.validate()
        }
        stack = WordPressStack()
        stack.name = "my stack"
        #expect(throws: StackError.self) { try stack.validate() }
        do { try stack.validate() } catch {
            #expect(error.setting == .name && error.value == "my stack" && !error.description.contains("--"))
        }
        stack = WordPressStack()
        #expect(throws: Never.self) { try stack.validate() }
    }

    /// WordPress's eight keys and salts reach every replica as Docker secrets: each an external
    /// secret named after the stack, mounted into the wordpress service only, read through
    /// WORDPRESS_<CONSTANT>_FILE; no key or salt value in any environment.
    @Test(arguments: combinations)
    func keysAndSaltsAreSecrets(lb: LoadBalancing, images: ImageSet) throws {
        var stack = WordPressStack()
        stack.name = "blog"
        stack.loadBalancing = lb
        stack.images = images
        let root = try #require(try Yams.compose(yaml: stack.yaml()))
        let wp = try #require(root["services"]?["wordpress"])
        let mounted = Set((wp["secrets"]?.sequence ?? []).compactMap { $0["source"]?.string })
        #expect(WordPressStack.keyAndSaltNames.count == 8)
        for constant in WordPressStack.keyAndSaltNames {
            let secret = "wp_\(constant.lowercased())"
            #expect(root["secrets"]?[Node(secret)]?["external"]?.bool == true, "\(secret) external")
            #expect(root["secrets"]?[Node(secret)]?["name"]?.string == "blog_\(secret)")
            #expect(stack.secretNames[secret] == "blog_\(secret)")
            #expect(mounted.contains(secret), "\(secret) mounted into wordpress")
            #expect(wp["environment"]?[Node("WORDPRESS_\(constant)_FILE")]?.string == "/run/secrets/\(secret)")
            #expect(wp["environment"]?[Node("WORDPRESS_\(constant)")] == nil, "WORDPRESS_\(constant) in plain text")
            let reference = try #require(wp["secrets"]?.sequence?.first { $0["source"]?.string == secret })
            #expect(reference["target"]?.string == secret)
        }
        // The database does not get them; every secret a service mounts is declared.
        let dbMounted = Set((root["services"]?["db"]?["secrets"]?.sequence ?? []).compactMap { $0["source"]?.string })
        #expect(dbMounted == ["db_password", "db_root_password"])
        let declared = Set(root["secrets"]?.mapping?.keys.compactMap(\.string) ?? [])
        #expect(mounted.union(dbMounted) == declared)
        #expect(declared.count == 10)
        // No value that looks like a key, salt or password anywhere in the environment.
        for service in ["wordpress", "db"] {
            for (key, _) in root["services"]?[Node(service)]?["environment"]?.mapping ?? [:] {
                let name = try #require(key.string)
                #expect(
                    name.hasSuffix("_FILE")
                        || !(name.hasSuffix("KEY") || name.hasSuffix("SALT") || name.hasSuffix("PASSWORD")),
                    "\(service): \(name)")
            }
        }
        // The longest Swarm name stays within Docker's 64 characters for a secret.
        stack.name = String(repeating: "n", count: 40)
        #expect(try stack.secretNames.values.allSatisfy { $0.utf8.count <= 64 })
    }

    @Test func anotherVolumeDriverGetsNoBrickctlOptions() throws {
        var stack = WordPressStack()
        stack.volumeDriver = "local"
        let root = try #require(try Yams.compose(yaml: stack.yaml()))
        #expect(root["volumes"]?["wp-content"]?["driver"]?.string == "local")
        #expect(root["volumes"]?["wp-content"]?["driver_opts"]?.mapping?.isEmpty == true)
    }

    @Test(arguments: ImageSet.allCases)
    func sharingOnlyUploadsMountsTheVolumeOnUploads(images: ImageSet) throws {
        var stack = WordPressStack()
        stack.images = images
        stack.share = .uploads
        let root = try #require(try Yams.compose(yaml: stack.yaml()))
        let wpVolumes = try #require(root["services"]?["wordpress"]?["volumes"]?.sequence)
        #expect(wpVolumes.count == 1)
        #expect(wpVolumes.first?["source"]?.string == "uploads")
        #expect(wpVolumes.first?["target"]?.string == images.wordpressContent + "/uploads")
        // The same owner as wp-content: WordPress writes the media as www-data.
        #expect(root["volumes"]?["uploads"]?["driver"]?.string == "brickctl")
        #expect(root["volumes"]?["uploads"]?["driver_opts"]?["uid"]?.string == "33")
        #expect(root["volumes"]?["wp-content"] == nil)
        // Nothing else changes: the same stack but for the volume.
        var whole = stack
        whole.share = .wpContent
        let other = try whole.yaml()
            .replacingOccurrences(of: "source: wp-content", with: "source: uploads")
            .replacingOccurrences(
                of: "target: \(images.wordpressContent)\n", with: "target: \(images.wordpressContent)/uploads\n"
            )
            .replacingOccurrences(of: "\n  wp-content:\n", with: "\n  uploads:\n")
        #expect(try Yams.compose(yaml: other) == root)
    }
}
