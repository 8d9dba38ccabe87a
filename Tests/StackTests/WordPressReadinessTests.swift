import BrickctlTestSupport
import Foundation
import Stack
import Testing
import Yams

/// Issue 22 item 5: a WordPress replica gets visitors only once it reaches the database. The
/// stack mounts `WordPressReadiness`'s page in every replica, Swarm's health check asks it with
/// `?started` (a task is listed in `tasks.wordpress` only once healthy), HAProxy's check asks it
/// without (a replica that cannot reach the database is out), and visitors cannot call it.
@Suite(.offCooperativePool) struct WordPressReadinessTests {
    @Test(arguments: ImageSet.allCases)
    func everyReplicaGetsThePageAndSwarmAsksIt(images: ImageSet) throws {
        for lb in LoadBalancing.allCases {
            var stack = WordPressStack()
            stack.images = images
            stack.loadBalancing = lb
            let root = try #require(try Yams.compose(yaml: stack.yaml()))
            let wp = try #require(root["services"]?["wordpress"])
            let mount = try #require(wp["configs"]?.sequence?.first)
            #expect(mount["source"]?.string == "wordpress_ready")
            #expect(mount["target"]?.string == images.wordpressDocumentRoot + "/brickctl-ready.php")
            #expect(mount["mode"]?.int == 0o444)
            let config = try #require(root["configs"]?["wordpress_ready"])
            #expect(config["file"]?.string == WordPressReadiness.file)
            #expect(config["name"]?.string == "wp_ready_\(stack.readiness.digest.prefix(12))")
            #expect(stack.configFiles[WordPressReadiness.file] == stack.readiness.text)
            // With the proxy, a new replica is healthy only once it has reached it too.
            #expect(stack.readiness.text.contains("fsockopen('haproxy', 80,") == (lb == .proxy))
            let test = wp["healthcheck"]?["test"]?.sequence?.compactMap(\.string) ?? []
            #expect(test.last?.hasSuffix("/brickctl-ready.php?started") == true, "\(test)")
            #expect(wp["healthcheck"]?["start_period"]?.string == "120s")
        }
    }

    @Test func theProxyChecksThePageAndVisitorsCannotCallIt() {
        let text = HAProxyConfig(cookieKey: "k").text
        #expect(text.contains("option httpchk GET /brickctl-ready.php\n"))
        #expect(text.contains("http-request deny deny_status 404 if { path /brickctl-ready.php }"))
        #expect(!text.contains("blank.gif"))
    }

    @Test func thePageLogsIntoTheDatabaseAndReadsNothingShared() {
        let php = WordPressReadiness().text
        #expect(php.hasPrefix("<?php\n"))
        #expect(php.contains("$db->real_connect('db', 'wordpress', $password, 'wordpress')"))
        #expect(php.contains("file_get_contents('/run/secrets/db_password')"))
        #expect(php.contains("MYSQLI_OPT_CONNECT_TIMEOUT, 1"))
        #expect(php.contains("http_response_code(503)"))
        #expect(php.contains("$started && file_exists($marker)"))
        #expect(!php.contains("fsockopen"), "no proxy, no proxy check")
        #expect(!php.contains("wp-content") && !php.contains("wp-load"))
        // Quotes in a value cannot break out of the PHP string.
        var odd = WordPressReadiness()
        odd.databaseUser = "it's\\"
        #expect(odd.text.contains("'it\\'s\\\\'"))
        #expect(odd.digest != WordPressReadiness().digest)
    }
}
