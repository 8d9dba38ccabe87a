/// The subset of a Compose file (format 3.8, what `docker stack deploy` reads) that brickctl writes.
///
/// A plain value: built by `WordPressStack`, turned into YAML by Yams's encoder (`WordPressStack.yaml`),
/// never pasted together from strings. Optional fields left nil are not written.
public struct ComposeFile: Codable, Equatable, Sendable {
    public var version = "3.8"
    public var services: [String: Service] = [:]
    public var networks: [String: Network]?
    public var volumes: [String: Volume]?
    public var secrets: [String: ExternalObject]?
    public var configs: [String: FileObject]?

    public init() {}

    public struct Service: Codable, Equatable, Sendable {
        public var image: String
        public var command: [String]?
        public var user: String?
        public var hostname: String?
        public var environment: [String: String]?
        public var secrets: [ObjectReference]?
        public var configs: [ObjectReference]?
        public var volumes: [VolumeMount]?
        public var networks: [String]?
        public var ports: [Port]?
        public var healthcheck: Healthcheck?
        public var deploy: Deploy

        public init(image: String, deploy: Deploy) {
            self.image = image
            self.deploy = deploy
        }
    }

    /// A secret or config handed to a service (long syntax).
    public struct ObjectReference: Codable, Equatable, Sendable {
        public var source: String
        public var target: String
        public var mode: UInt32?

        public init(source: String, target: String, mode: UInt32? = nil) {
            self.source = source
            self.target = target
            self.mode = mode
        }
    }

    /// A named volume mounted into a service (long syntax).
    public struct VolumeMount: Codable, Equatable, Sendable {
        public var type = "volume"
        public var source: String
        public var target: String

        public init(source: String, target: String) {
            self.source = source
            self.target = target
        }
    }

    public struct Port: Codable, Equatable, Sendable {
        public var target: Int
        public var published: Int
        public var `protocol` = "tcp"
        /// `host` (this node's port, works without IPVS) or `ingress` (the routing mesh).
        public var mode: String

        public init(target: Int, published: Int, mode: String) {
            self.target = target
            self.published = published
            self.mode = mode
        }
    }

    public struct Healthcheck: Codable, Equatable, Sendable {
        public var test: [String]
        public var interval: String
        public var timeout: String
        public var retries: Int
        public var start_period: String

        public init(test: [String], interval: String, timeout: String, retries: Int, startPeriod: String) {
            self.test = test
            self.interval = interval
            self.timeout = timeout
            self.retries = retries
            self.start_period = startPeriod
        }
    }

    public struct Deploy: Codable, Equatable, Sendable {
        public var mode = "replicated"
        public var replicas: Int
        public var endpoint_mode: String
        public var placement: Placement
        public var update_config: UpdateConfig?
        public var rollback_config: UpdateConfig?
        public var restart_policy: RestartPolicy?

        public init(replicas: Int, endpointMode: String, placement: Placement) {
            self.replicas = replicas
            self.endpoint_mode = endpointMode
            self.placement = placement
        }
    }

    public struct Placement: Codable, Equatable, Sendable {
        public var constraints: [String]
        public var max_replicas_per_node: Int?

        public init(constraints: [String], maxReplicasPerNode: Int? = nil) {
            self.constraints = constraints
            self.max_replicas_per_node = maxReplicasPerNode
        }
    }

    public struct UpdateConfig: Codable, Equatable, Sendable {
        public var parallelism: Int
        public var delay: String
        public var failure_action: String
        public var monitor: String
        public var order: String

        public init(parallelism: Int, delay: String, failureAction: String, monitor: String, order: String) {
            self.parallelism = parallelism
            self.delay = delay
            self.failure_action = failureAction
            self.monitor = monitor
            self.order = order
        }
    }

    public struct RestartPolicy: Codable, Equatable, Sendable {
        public var condition: String
        public var delay: String
        public var window: String

        public init(condition: String, delay: String, window: String) {
            self.condition = condition
            self.delay = delay
            self.window = window
        }
    }

    public struct Network: Codable, Equatable, Sendable {
        public var driver = "overlay"
        public var `internal`: Bool?
        public var attachable: Bool?

        public init(internal: Bool? = nil, attachable: Bool? = nil) {
            self.internal = `internal`
            self.attachable = attachable
        }
    }

    public struct Volume: Codable, Equatable, Sendable {
        public var driver: String
        public var driver_opts: [String: String]

        public init(driver: String, driverOptions: [String: String]) {
            self.driver = driver
            self.driver_opts = driverOptions
        }
    }

    /// A secret that exists before the stack (`docker secret create`): the file never holds it.
    public struct ExternalObject: Codable, Equatable, Sendable {
        public var external = true
        public var name: String

        public init(name: String) { self.name = name }
    }

    /// A config read from a file beside the stack file; `name` carries a hash of its content
    /// (Swarm configs cannot change, a new content is a new config).
    public struct FileObject: Codable, Equatable, Sendable {
        public var name: String
        public var file: String

        public init(name: String, file: String) {
            self.name = name
            self.file = file
        }
    }
}
