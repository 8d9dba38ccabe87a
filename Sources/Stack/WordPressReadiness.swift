/// When a WordPress replica is ready for visitors: a small PHP page handed to every replica as a
/// Swarm config, in the image's document root, that logs into the database (1 s to connect).
///
/// Why (issue 22, measured in StackDeployTests' node failure): a WordPress node that returns
/// after a cut gets a new task; Apache answers a static file at once, so the old checks (Swarm's
/// and HAProxy's, both on `blank.gif`) passed while the new replica could not reach the database
/// yet (Swarm's overlay network between the returning node and the database node comes back
/// 20–40 s later). Swarm then listed the task in `tasks.wordpress`, HAProxy took the new address
/// as UP at once (a server that resolves again starts UP, its first check only follows), and
/// visitors sent there waited on WordPress's database connection and failed.
///
/// - `GET path`: 200 when the replica logs into its database now, else 503. HAProxy's check: a
///   replica that cannot reach the database gets no visitor, whatever the reason and for as long
///   as it lasts.
/// - `GET path?started`: 200 once the replica has logged into its database and opened a TCP
///   connection to the proxy (`proxyHost`, with the `proxy` load balancing) since its container
///   started. Swarm's health check: Swarm adds a task to `tasks.wordpress` only once it is healthy
///   (moby's container controller activates the service binding on `health_status: healthy`),
///   so the proxy finds a new task only when it can serve pages and the proxy can reach it: the
///   proxy's answer to that connection travels the overlay path its requests will take (measured:
///   after a cut, the proxy's node reached a returning node's new task 14 s after that task was
///   healthy on a static file, and HAProxy, which takes a server that resolves again as UP before
///   its first check, sent visitors there). A later database or proxy outage does not make every
///   replica unhealthy (and restarted) as well.
///
/// No file of the shared volume is read: a replica stalled on Gluster is not taken out for it.
/// The proxy refuses the path to visitors (a check is not a page).
///
/// Pure: `text` is rendered from the stack's fixed database settings; `digest` is part of the
/// Swarm config's name (a Swarm config cannot change).
public struct WordPressReadiness: SwarmConfigText, Equatable, Sendable {
    public var databaseHost = "db"
    public var databaseName = "wordpress"
    public var databaseUser = "wordpress"
    public var passwordFile = "/run/secrets/db_password"
    /// The proxy's service name on the front network, nil without one (the routing mesh).
    public var proxyHost: String?
    public var proxyPort = 80

    public init(proxyHost: String? = nil) {
        self.proxyHost = proxyHost
    }

    /// The file name next to the stack file.
    public static let file = "wordpress-ready.php"
    /// Its URL path on every replica (the file is mounted in the document root).
    public static let path = "/brickctl-ready.php"
    /// The query of Swarm's health check (ready once since the container started).
    public static let startedQuery = "started"

    public var text: String {
        """
        <?php
        // Written by brickctl stack: is this WordPress replica ready for visitors?
        //   GET \(Self.path)          200 when it logs into its database now, else 503 (the proxy's check)
        //   GET \(Self.path)?\(Self.startedQuery)  200 once it has logged in\(proxyHost == nil ? "" : " and reached the proxy") since the container
        //                                      started (Swarm's health check: a task is found only when ready)
        // It reads no file of the shared volume.
        header('Content-Type: text/plain');
        header('Cache-Control: no-store');
        $marker = sys_get_temp_dir() . '/brickctl-ready-once';
        $started = isset($_GET['\(Self.startedQuery)']);
        if ($started && file_exists($marker)) {
            echo "started\\n";
            exit;
        }
        mysqli_report(MYSQLI_REPORT_OFF);
        $db = mysqli_init();
        $db->options(MYSQLI_OPT_CONNECT_TIMEOUT, 1);
        $password = rtrim((string) @file_get_contents(\(php(passwordFile))), "\\r\\n");
        if (!@$db->real_connect(\(php(databaseHost)), \(php(databaseUser)), $password, \(php(databaseName)))) {
            http_response_code(503);
            echo "not ready: the database does not answer\\n";
            exit;
        }
        $db->close();
        if ($started) {\(proxyCheck)
            @touch($marker);
        }
        echo "ready\\n";

        """
    }

    /// The TCP connection to the proxy (its answer comes back on the path its requests take).
    private var proxyCheck: String {
        guard let proxyHost else { return "" }
        return """

                $proxy = @fsockopen(\(php(proxyHost)), \(proxyPort), $errno, $error, 1.0);
                if ($proxy === false) {
                    http_response_code(503);
                    echo "not ready: the proxy does not answer\\n";
                    exit;
                }
                fclose($proxy);
            """
    }

    /// `value` as a single-quoted PHP string literal.
    private func php(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
