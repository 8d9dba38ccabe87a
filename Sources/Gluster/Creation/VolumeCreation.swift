import Foundation
import Glibc

/// Creating a volume the brickctl way, for the command line and the plugin alike: bricks placed on
/// the pool's hosts, an existing volume refused, who may mount it resolved before anything
/// changes, glusterd's create undone on this host's fresh brick directories when it fails, then
/// auth.allow and the profile.
///
/// The steps are separate so a caller can show each outcome as it happens:
/// `plan` → (`layout.warnings`) → `access` → `create` → `restrictAccess` → `applyProfile`.
public struct VolumeCreation: Sendable {
    public var cli: GlusterCLI

    public init(cli: GlusterCLI = GlusterCLI()) {
        self.cli = cli
    }

    /// What to create.
    public struct Request: Sendable {
        public var name: String
        /// Bricks as given; empty = placed by convention on `hosts` or the pool.
        public var bricks: [BrickAddress]
        public var replica: Int
        public var arbiter: Bool
        /// The hosts the user chose; nil = this host, then the pool's connected peers.
        public var hosts: [String]?
        public var brickRoot: String
        public var force: Bool
        /// More client addresses or names that may mount it (`*`: every address).
        public var allow: [String]
        /// How `allow`'s patterns are named in `Access.sources` (the command line says `--allow`).
        public var allowOrigin: String?
        public var profile: VolumeProfile

        public init(
            name: String, bricks: [BrickAddress] = [], replica: Int = 1, arbiter: Bool = false, hosts: [String]? = nil,
            brickRoot: String, force: Bool = false, allow: [String] = [], allowOrigin: String? = nil,
            profile: VolumeProfile = .default
        ) {
            self.name = name
            self.bricks = bricks
            self.replica = replica
            self.arbiter = arbiter
            self.hosts = hosts
            self.brickRoot = brickRoot
            self.force = force
            self.allow = allow
            self.allowOrigin = allowOrigin
            self.profile = profile
        }
    }

    /// The bricks, and the pool they were placed on.
    public struct Plan: Sendable {
        public var request: Request
        public var layout: VolumeLayout
        public var pool: [Peer]

        /// The gluster command `create` runs, for `--dry-run`.
        public var createCommand: String {
            (["gluster", "volume", "create", layout.name] + layout.createArguments + (request.force ? ["force"] : []))
                .joined(separator: " ")
        }
    }

    /// Who may mount the volume, resolved.
    public struct Access: Sendable {
        public var allow: AuthAllow
        public var sources: [AuthAllow.Source]
    }

    /// Places the bricks; with `checkExisting`, refuses a name glusterd already has.
    ///
    /// Runs `gluster pool list` and, with `checkExisting`, `gluster volume info NAME`.
    /// - Throws: `VolumeCreationError`.
    public func plan(_ request: Request, checkExisting: Bool = true) async throws(VolumeCreationError) -> Plan {
        // Mistakes in the request are answered before glusterd is asked anything.
        do {
            try VolumeLayout.validate(name: request.name)
        } catch {
            throw .layout(error)
        }
        let pool: [Peer]
        do {
            pool = try await cli.peers()
        } catch {
            throw .gluster(error)
        }
        var hostList: [String] = []
        if let hosts = request.hosts {
            hostList = hosts
        } else if request.bricks.isEmpty {
            let others = pool.filter { !$0.isSelf && $0.isInCluster && $0.connected }.map(\.hostname)
            hostList = [LocalGlusterd.hostname] + others
        }
        let layout: VolumeLayout
        do {
            layout = try VolumeLayout.plan(
                name: request.name, replica: request.replica, arbiter: request.arbiter, hosts: hostList,
                brickRoot: request.brickRoot, bricks: request.bricks, hostsChosen: request.hosts != nil,
                force: request.force)
        } catch {
            throw .layout(error)
        }
        if checkExisting {
            let existing: VolumeInfo?
            do {
                existing = try await cli.volume(request.name)
            } catch {
                throw .gluster(error)
            }
            if existing != nil { throw .exists(request.name) }
        }
        return Plan(request: request, layout: layout, pool: pool)
    }

    /// Resolves who may mount the volume: the pool's hosts plus `request.allow`. A name that does
    /// not resolve stops here, before anything is created.
    /// - Throws: `VolumeCreationError` (`.clientAddress`, `.poolAddress`, `.access`).
    public func access(_ plan: Plan) throws(VolumeCreationError) -> Access {
        let extra: [AuthAllow.Source]
        do {
            extra = try ClientAddresses.resolve(plan.request.allow, origin: plan.request.allowOrigin)
        } catch {
            throw .clientAddress(error)
        }
        let pool: [(name: String, addresses: [String])]
        do {
            pool = try ClientAddresses.pool(plan.pool)
        } catch {
            throw .poolAddress(error)
        }
        do {
            let (allow, sources) = try AuthAllow.pool(pool, plus: extra)
            return Access(allow: allow, sources: sources)
        } catch {
            throw .access(error)
        }
    }

    /// Creates the volume. A failed create can leave glusterd's volume-id on the brick
    /// directories it made on this host: they are removed again from the ones that did not exist
    /// before, so a retry is not refused.
    ///
    /// Runs `gluster volume create NAME ... [force]`.
    /// - Throws: `GlusterCLIError`.
    public func create(_ plan: Plan) async throws(GlusterCLIError) {
        let local: Set<String> = [LocalGlusterd.hostname, "localhost"]
        let fresh = plan.layout.bricks.filter {
            local.contains($0.host) && !FileManager.default.fileExists(atPath: $0.path)
        }
        do {
            try await cli.create(layout: plan.layout, force: plan.request.force)
        } catch {
            for brick in fresh where FileManager.default.fileExists(atPath: brick.path) {
                _ = try? BrickReset(path: brick.path).run(volumesUsingIt: [])
                rmdir(brick.path)
            }
            throw error
        }
    }

    /// Sets auth.allow, unless every address may mount it anyway.
    ///
    /// Runs `gluster volume set NAME auth.allow LIST`.
    /// - Throws: `GlusterCLIError`.
    public func restrictAccess(_ plan: Plan, _ access: Access) async throws(GlusterCLIError) {
        guard !access.allow.allowsEveryone else { return }
        try await cli.setAuthAllow(plan.layout.name, access.allow)
    }

    /// Applies the requested profile (nothing for `.default`).
    /// - Returns: the options it set (empty for `.default`).
    /// - Throws: `GlusterCLIError`.
    public func applyProfile(_ plan: Plan) async throws(GlusterCLIError) -> [String] {
        guard plan.request.profile != .default else { return [] }
        return try await cli.apply(profile: plan.request.profile, to: plan.layout.name)
    }
}

/// Why a volume cannot be created (before glusterd changed anything).
public enum VolumeCreationError: Error, CustomStringConvertible, Sendable {
    /// The name or bricks do not make a volume.
    case layout(VolumeLayoutError)
    /// glusterd already has a volume of this name.
    case exists(String)
    /// A name given as a client does not resolve.
    case clientAddress(HostAddressError)
    /// A pool host's name does not resolve.
    case poolAddress(PoolHostAddressError)
    /// The resulting auth.allow list is not valid.
    case access(AuthAllowError)
    /// glusterd could not be asked.
    case gluster(GlusterCLIError)

    public var description: String {
        switch self {
        case .layout(let error): return error.description
        case .exists(let name): return "a volume named \(name) already exists: choose another name, or delete it first"
        case .clientAddress(let error): return error.description
        case .poolAddress(let error): return error.description
        case .access(let error): return error.description
        case .gluster(let error): return error.description
        }
    }
}
