/// How requests reach the WordPress replicas.
public enum LoadBalancing: String, CaseIterable, Sendable {
    /// An HAProxy service published in host mode on the manager, sticky sessions, `dnsrr` services:
    /// works on every kernel (no IPVS needed) and keeps a login on one replica.
    case proxy
    /// Swarm's routing mesh: WordPress publishes the port itself on every node (`vip`); needs IPVS.
    case mesh
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

    /// Where the image keeps wp-content (the only directory that goes on the shared volume).
    public var wordpressContent: String {
        switch self {
        case .official: "/var/www/html/wp-content"
        case .lab: "/var/lib/wordpress/wp-content"
        }
    }

    /// The WordPress health check as an argv (no shell): a static file Apache serves, so it
    /// answers without the database. The official image has curl; the lab image its http-check.
    public var wordpressHealthcheck: [String] {
        switch self {
        case .official: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1/wp-includes/images/blank.gif"]
        case .lab: ["CMD", "/usr/local/bin/http-check", "80", "/wp-includes/images/blank.gif"]
        }
    }

    /// Where the image's HAProxy reads its configuration.
    public var haproxyConfigPath: String {
        switch self {
        case .official: "/usr/local/etc/haproxy/haproxy.cfg"
        case .lab: "/etc/haproxy/haproxy.cfg"
        }
    }
}
