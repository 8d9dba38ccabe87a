/// The HAProxy configuration of the `proxy` load balancing: every task of the `wordpress` service,
/// found through Swarm's DNS (`tasks.wordpress` at 127.0.0.11, works with `dnsrr` and without
/// IPVS), round robin, sticky sessions by a `SERVERID` cookie hashed from each server's address and
/// `cookieKey` (a `cookie` on a server-template line would be the same for every slot).
/// `init-addr none`: the slots start empty and the resolvers fill them; a blocking libc lookup of
/// `tasks.wordpress` before any task runs would be forwarded by Swarm's DNS to the outside and,
/// with no way out, stall HAProxy's start past its health check.
public struct HAProxyConfig: SwarmConfigText, Equatable, Sendable {
    public var backendService = "wordpress"
    public var backendPort = 80
    public var slots = 10
    /// `WordPressReadiness`'s page: a replica is UP only while it logs into its database.
    public var checkPath = WordPressReadiness.path
    public var cookieKey: String

    public init(cookieKey: String) {
        self.cookieKey = cookieKey
    }

    /// The haproxy.cfg text (HAProxy's own format, not YAML).
    public var text: String {
        """
        # Written by brickctl stack: HAProxy over every task of the \(backendService) service, found
        # through Swarm's DNS (tasks.\(backendService)), with sticky sessions.
        global
            log stdout format raw local0 info
            user haproxy
            group haproxy
            maxconn 4096

        defaults
            mode http
            log global
            option httplog
            option dontlognull
            option forwardfor
            # A node that drops off the network answers nothing: a request sent to it waits out
            # the connect timeout, then (redispatch) goes to another replica instead of failing
            # with a 503 after every retry on the lost one. 1 s is ~1000 LAN round trips; a lost
            # SYN costs one retry. Measured (StackDeployTests' node failure): with 5 s and no
            # redispatch every visitor request routed to the lost node failed.
            timeout connect 1s
            retries 2
            option redispatch 1
            # A check connects within the connect timeout (1 s: a lost node fails it as fast), then
            # its answer may take 5 s: a replica that is only busy is not taken out. Measured with
            # 1 s (scripts/bench/wordpress, 32 clients on 2 cores): the proxies marked busy replicas
            # DOWN ("Layer7 timeout"), at times both, and answered tens of thousands of 503s.
            timeout check 5s
            timeout client 60s
            timeout server 60s
            timeout http-request 10s

        resolvers docker
            nameserver dns 127.0.0.11:53
            resolve_retries 3
            timeout resolve 1s
            timeout retry 1s
            # Swarm's DNS that does not answer (measured: over 10 s under load while a returning
            # node's tasks moved) says nothing about the replicas: keep the last addresses, the
            # health checks take out what is really gone. Only "no such name" drops them.
            hold other 120s
            hold refused 120s
            hold nx 5s
            hold timeout 120s
            hold valid 5s
            hold obsolete 5s
            accepted_payload_size 8192

        frontend http
            bind :80
            # The replicas' readiness page is the checks' (each hit logs into the database), not a page.
            http-request deny deny_status 404 if { path \(checkPath) }
            default_backend app

        frontend stats
            bind :8404
            stats enable
            stats uri /stats
            stats refresh 5s
            monitor-uri /healthz

        backend app
            balance roundrobin
            cookie SERVERID insert indirect nocache dynamic
            dynamic-cookie-key "\(cookieKey)"
            option httpchk GET \(checkPath)
            # A replica is out after two failed checks: the second one 500 ms after the first
            # (fastinter), each connect given 1 s: DOWN within ~4.5 s of a cut instead of ~6.5 s.
            # The check (WordPressReadiness) logs into the database and reads nothing on Gluster:
            # a replica that cannot reach the database is out, one stalled on the volume is not.
            # A server that resolves again starts UP before its first check: Swarm lists a task
            # only once it has reached the database (its health check), so a new one is ready.
            default-server inter 2s fastinter 500ms fall 2 rise 1
            server-template \(backendService) 1-\(slots) tasks.\(backendService):\(backendPort) check resolvers docker init-addr none resolve-prefer ipv4

        """
    }

}
