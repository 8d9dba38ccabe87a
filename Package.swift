// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "brickctl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "brickctl", targets: ["brickctl"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
    ],
    targets: [
        // C libraries, wrapped once each.
        .systemLibrary(name: "CBlkid", pkgConfig: "blkid", providers: [.apt(["libblkid-dev"])]),
        .systemLibrary(name: "CFdisk", pkgConfig: "fdisk", providers: [.apt(["libfdisk-dev"])]),
        // libgfapi is loaded with dlopen on first use (see CGlusterAPI.c); building needs its header
        // (libglusterfs-dev), running needs libgfapi.so.0 (glusterfs-common) only for gfapi commands.
        .target(name: "CGlusterAPI"),
        .target(name: "CLinux"),

        // The thin edge shared by every domain: running commands, atomic files, locks, and the bounded
        // thread pool that gives blocking calls (gfapi, gluster, mount) their async entry points.
        .target(
            name: "HostIO",
            dependencies: ["CLinux", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict
        ),

        // Domains.
        .target(name: "Fstab", dependencies: ["HostIO"], swiftSettings: strict),
        .target(
            name: "BlockDevices",
            dependencies: ["CBlkid", "CLinux", "Fstab", "HostIO"],
            swiftSettings: strict
        ),
        .target(
            name: "DiskPreparation",
            dependencies: ["BlockDevices", "CFdisk", "CLinux", "Fstab", "Gluster", "HostIO"],
            swiftSettings: strict
        ),

        .target(
            name: "Gluster",
            dependencies: ["CGlusterAPI", "CLinux", "HostIO"],
            swiftSettings: strict
        ),

        // Gluster's TLS: the pool's CA and bundles (pure, swift-certificates + swift-crypto) and
        // the files on disk (/etc/ssl/glusterfs.*, the CA directory).
        .target(
            name: "GlusterTLS",
            dependencies: [
                "HostIO",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strict
        ),

        // The Docker volume plugin: a pure core (volumes, references, options, state) and a thin
        // async edge (HTTP on a unix socket, FUSE mounts, gfapi) on a bounded thread pool.
        .target(
            name: "VolumePlugin",
            dependencies: [
                "BlockDevices", "Gluster", "HostIO",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The Swarm stack (WordPress + MariaDB + HAProxy): rendered as a value, checked as a value.
        .target(
            name: "Stack",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),

        // Health you can watch: a pure core (verdicts and typed problems from what a host sees of
        // Gluster, the plugin, Swarm, certificates and backups; the same observation as Prometheus
        // metrics) and a thin edge (the exporter's HTTP listener and its scrape cache).
        .target(
            name: "Health",
            dependencies: [
                "Gluster", "HostIO", "Stack", "VolumePlugin",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Backups (issue 17): the backup service's dumps read and verified, restic as the engine of
        // off-cluster snapshots, the restore of a stack's database. Pure core + thin edge.
        .target(
            name: "Backup",
            dependencies: [
                "BlockDevices", "HostIO", "Stack", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),

        // The command tree, and the executable that is only its doorway.
        .target(
            name: "BrickctlCommands",
            dependencies: [
                "BlockDevices", "DiskPreparation", "Fstab", "Gluster", "GlusterTLS", "HostIO", "Stack", "VolumePlugin",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "Health",
                "Backup",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "brickctl", dependencies: ["BrickctlCommands"], swiftSettings: strict),
        // In-process benchmarks for scripts/bench (not shipped): `swift build --product brickctl-bench`.
        .executableTarget(
            name: "brickctl-bench",
            dependencies: ["Gluster", "HostIO", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        // What every test target shares: the trait that keeps blocking tests off the cooperative pool.
        .target(name: "BrickctlTestSupport", path: "Tests/Support/BrickctlTestSupport", swiftSettings: strict),

        // Unit tests: the pure core, no root.
        .testTarget(
            name: "FstabTests", dependencies: ["Fstab", "HostIO", "BrickctlTestSupport"], swiftSettings: strict),
        // Helper process for FstabTests' SIGKILL test; found next to the test bundle in the build dir.
        .executableTarget(
            name: "fstab-torture-writer",
            dependencies: ["Fstab"],
            path: "Tests/Support/FstabTortureWriter",
            swiftSettings: strict
        ),
        .testTarget(
            name: "BlockDevicesTests", dependencies: ["BlockDevices", "BrickctlTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "GlusterTLSTests", dependencies: ["GlusterTLS", "BrickctlTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "StackTests",
            dependencies: ["Stack", "HostIO", "BrickctlTestSupport", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .testTarget(
            name: "VolumePluginTests",
            dependencies: [
                "VolumePlugin", "BrickctlTestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DiskPreparationTests", dependencies: ["DiskPreparation", "BlockDevices", "BrickctlTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "GlusterTests", dependencies: ["Gluster", "HostIO", "BrickctlTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "HealthTests",
            dependencies: ["Health", "Gluster", "HostIO", "Stack", "BrickctlTestSupport", "VolumePlugin"],
            swiftSettings: strict),
        // Integration tests: real loop devices, mkfs.xfs, glusterd; run as root (CI does).
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "BlockDevices", "DiskPreparation", "Fstab", "Gluster", "GlusterTLS", "HostIO", "BrickctlCommands",
                "Stack", "VolumePlugin", "BrickctlTestSupport",
                "Health",
            ],
            swiftSettings: strict
        ),
        // The test tooling (scripts/test-watchdog, scripts/test-report) and its hanging fixture binary.
        .executableTarget(name: "watchdog-fixture", path: "Tests/Support/WatchdogFixture", swiftSettings: strict),
        .testTarget(
            name: "ScriptsTests", dependencies: ["HostIO", "BrickctlTestSupport"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "BrickctlCommandsTests",
            dependencies: [
                "BrickctlCommands", "BlockDevices", "DiskPreparation", "Gluster", "GlusterTLS", "Stack",
                "BrickctlTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "HostIOTests",
            dependencies: ["HostIO", "BrickctlTestSupport", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict),
        .testTarget(
            name: "BackupTests", dependencies: ["Backup", "Stack", "HostIO", "BrickctlTestSupport"],
            swiftSettings: strict),
    ]
)
