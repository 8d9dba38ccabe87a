/// How requests reach the WordPress replicas.
public enum LoadBalancing: String, CaseIterable, Sendable {
    /// An HAProxy service published in host mode on the manager, sticky sessions, `dnsrr` services:
    /// works on every kernel (no IPVS needed) and keeps a login on one replica.
    case proxy
    /// Swarm's routing mesh: WordPress publishes the port itself on every node (`vip`); needs IPVS.
    case mesh
}

/// What of WordPress's files the replicas share on the volume driver's volume.
public enum SharedContent: String, CaseIterable, Sendable {
    /// All of wp-content: themes, plugins, languages and uploads. A theme or plugin installed from
    /// the admin page reaches every replica; every page reads its theme and plugin folders
    /// through the shared volume (on Gluster: about 30 directory listings per page).
    case wpContent = "wp-content"
    /// Only wp-content/uploads (the media). Themes, plugins and languages come from the image, on
    /// each node's own disk: install them by building them into the image, not from the admin
    /// page (what one replica installs the others do not see).
    case uploads

    /// The stack's volume for it.
    public var volume: String { rawValue }

    /// Where it goes in the WordPress container.
    public func target(in images: ImageSet) -> String {
        switch self {
        case .wpContent: images.wordpressContent
        case .uploads: images.wordpressContent + "/uploads"
        }
    }
}

/// Which container images the stack runs; nothing else in the stack depends on it.
public enum ImageSet: String, CaseIterable, Sendable {
    /// Docker Hub's official images.
    case official
    /// The Debian-built images of `scripts/images` (no registry needed; the lab's).
    case lab

    public var wordpress: String {
        switch self {
        case .official: "wordpress:php8.2-apache"
        case .lab: "brickctl/wordpress:latest"
        }
    }

    public var mariadb: String {
        switch self {
        case .official: "mariadb:11"
        case .lab: "brickctl/mariadb:latest"
        }
    }

    public var haproxy: String {
        switch self {
        case .official: "haproxy:2.6"
        case .lab: "brickctl/haproxy:latest"
        }
    }

    /// Where the image keeps wp-content (the most of WordPress that goes on the shared volume).
    public var wordpressContent: String {
        switch self {
        case .official: "/var/www/html/wp-content"
        case .lab: "/var/lib/wordpress/wp-content"
        }
    }

    /// The WordPress health check as an argv (no shell): `WordPressReadiness`'s page with
    /// `?started`, healthy once the replica has logged into the database since it started (Swarm
    /// lists a task in `tasks.wordpress` only when healthy). The official image has curl; the lab
    /// image its http-check.
    public var wordpressHealthcheck: [String] {
        let started = "\(WordPressReadiness.path)?\(WordPressReadiness.startedQuery)"
        return switch self {
        case .official: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1\(started)"]
        case .lab: ["CMD", "/usr/local/bin/http-check", "80", started]
        }
    }

    /// The document root of the image's Apache (where `WordPressReadiness`'s page is mounted).
    public var wordpressDocumentRoot: String {
        switch self {
        case .official: "/var/www/html"
        case .lab: "/usr/share/wordpress"
        }
    }

    /// PHP that WordPress runs from its configuration (`WORDPRESS_CONFIG_EXTRA`, read by both
    /// images), or nil for WordPress's defaults. The lab's images serve a lab with no way out to
    /// the internet: WordPress must not try (each admin dashboard load waited 20 s on its update,
    /// browser and PHP-version checks, whose failures it does not cache). `WP_HTTP_BLOCK_EXTERNAL`
    /// answers every outside request at once with an error (the site's own host and localhost still
    /// work: wp-cron, loopback health checks) and automatic updates are off (the lab image's
    /// WordPress comes from Debian's package). The official images keep WordPress's defaults.
    ///
    /// The lab image's translations folder is the image's own (`WP_LANG_DIR`, where Debian's
    /// `wordpress-l10n` would put them; the image ships English only), not wp-content's on the
    /// shared volume: WordPress 6.1 globs that
    /// folder and its subfolders on every request, even in English (issue 20's ablation: 12 -> 5.5
    /// brick OPENDIRs per page with the theme pattern cache). Correct there because the image owns
    /// the translations (the lab cannot download language packs). The official image keeps them in
    /// wp-content, so that a language pack installed from the admin page reaches every replica.
    ///
    /// Plugins and themes install from the admin page straight into wp-content (`FS_METHOD`
    /// `direct`): the lab image's WordPress files belong to Debian's package (root) while
    /// wp-content belongs to the web server's user, so WordPress's own ownership test fails and it
    /// would ask for FTP credentials instead. wp-content is where every install writes, and the
    /// web server's user owns it; the core stays read-only (updates off, above). The official
    /// image's files all belong to the web server's user: its test passes by itself.
    public var wordpressConfigExtra: String? {
        switch self {
        case .official: nil
        case .lab:
            "define('WP_HTTP_BLOCK_EXTERNAL', true); define('AUTOMATIC_UPDATER_DISABLED', true); "
                + "define('WP_LANG_DIR', '\(Self.labTranslations)'); define('FS_METHOD', 'direct');"
        }
    }

    /// The lab image's translations folder (Debian's `wordpress-l10n` layout), in the image.
    public static let labTranslations = "/usr/share/wordpress/wp-content/languages"

    /// Where the image's HAProxy reads its configuration.
    public var haproxyConfigPath: String {
        switch self {
        case .official: "/usr/local/etc/haproxy/haproxy.cfg"
        case .lab: "/etc/haproxy/haproxy.cfg"
        }
    }
}
