// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (Codable fields named as the compose file's keys)

/// The subset of a Compose file (format 3.8, what `docker stack deploy` reads) that brickctl writes.
///
/// A plain value: built by `WordPressStack`, turned into YAML by Yams's encoder (`WordPressStack.yaml`),
/// never pasted together from strings. Optional fields left nil are not written.
///
/// Field names are Compose's keys as they are (`endpoint_mode`), so the encoder needs no key
/// mapping, and the values are made with Swift's memberwise initialisers, which take the same
/// names (a field with a default, like `mode` or `protocol`, may be left out).
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
        /// Replaces the image's entrypoint (the backup service runs its script with the image's `sh`).
        public var entrypoint: [String]?
    }

    /// A secret or config handed to a service (long syntax).
    public struct ObjectReference: Codable, Equatable, Sendable {
        public var source: String
        public var target: String
        public var mode: UInt32?
    }

    /// A named volume mounted into a service (long syntax).
    public struct VolumeMount: Codable, Equatable, Sendable {
        public var type = "volume"
        public var source: String
        public var target: String
    }

    public struct Port: Codable, Equatable, Sendable {
        public var target: Int
        public var published: Int
        public var `protocol` = "tcp"
        /// `host` (this node's port, works without IPVS) or `ingress` (the routing mesh).
        public var mode: String
    }

    public struct Healthcheck: Codable, Equatable, Sendable {
        public var test: [String]
        public var interval: String
        public var timeout: String
        public var retries: Int
        public var start_period: String
    }

    public struct Deploy: Codable, Equatable, Sendable {
        public var mode = "replicated"
        public var replicas: Int
        public var endpoint_mode: String
        public var placement: Placement
        public var update_config: UpdateConfig?
        public var rollback_config: UpdateConfig?
        public var restart_policy: RestartPolicy?
        public var resources: Resources? = nil
    }

    /// `deploy.resources`: only `limits.cpus` is used (the backup service's CPU limit; Swarm turns
    /// it into the container's CFS quota).
    public struct Resources: Codable, Equatable, Sendable {
        public var limits: Limits

        public struct Limits: Codable, Equatable, Sendable {
            /// CPUs as Compose writes them: a decimal string ("0.25").
            public var cpus: String
        }
    }

    public struct Placement: Codable, Equatable, Sendable {
        public var constraints: [String]
        public var max_replicas_per_node: Int?
    }

    public struct UpdateConfig: Codable, Equatable, Sendable {
        public var parallelism: Int
        public var delay: String
        public var failure_action: String
        public var monitor: String
        public var order: String
    }

    public struct RestartPolicy: Codable, Equatable, Sendable {
        public var condition: String
        public var delay: String
        public var window: String
    }

    public struct Network: Codable, Equatable, Sendable {
        public var driver = "overlay"
        public var `internal`: Bool?
        public var attachable: Bool?
    }

    public struct Volume: Codable, Equatable, Sendable {
        public var driver: String
        public var driver_opts: [String: String]
        /// The volume's own name instead of STACK_KEY (`stack restore --force` gives the database a
        /// fresh volume and keeps the old one aside under its name).
        public var name: String? = nil
    }

    /// A secret that exists before the stack (`docker secret create`): the file never holds it.
    public struct ExternalObject: Codable, Equatable, Sendable {
        public var external = true
        public var name: String
    }

    /// A config read from a file beside the stack file; `name` carries a hash of its content
    /// (Swarm configs cannot change, a new content is a new config).
    public struct FileObject: Codable, Equatable, Sendable {
        public var name: String
        public var file: String
    }
}
