import ArgumentParser
import BlockDevices
import Foundation
import Gluster
import HostIO

/// How `volume df` and `volume probe` reach a volume through libgfapi.
struct VolumeConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("server"),
        help: ArgumentHelp(
            "A glusterd host to fetch the volume from; repeat for backups (default: localhost).", valueName: "host"))
    var servers: [String] = []

    @Option(help: ArgumentHelp("Seconds to wait for the volume to come online.", valueName: "seconds"))
    var timeout: Double = 20

    @Flag(help: "Print JSON (stable shape).")
    var json = false

    func validate() throws {
        guard timeout > 0, timeout <= 3600 else {
            throw ValidationError("--timeout must be between 0 and 3600 seconds")
        }
    }

    var serverList: [String] { servers.isEmpty ? ["localhost"] : servers }

    /// The cached handle for `volume`. Nobody closes it: glfs_fini costs ~11 s, and the process
    /// exit releases the connection (every write through it is fsync'ed already).
    func handle(_ volume: String) async throws -> GlusterVolumeHandle {
        do {
            return try await GlusterVolumes.shared.handle(
                volume: volume, servers: serverList, timeout: .milliseconds(Int(timeout * 1000)))
        } catch let error as GlusterAPIError {
            switch error.kind {
            case .timedOut:
                throw CommandFailure(error.message + " (--timeout SECONDS)")
            case .permissionDenied where error.operation == .connect:
                let refusal = AuthRefusal.ofThisHost(volume: volume, toward: serverList[0])
                throw CommandFailure("\(error.message): \(refusal.commandLineRemedy)")
            default:
                throw CommandFailure(error.message)
            }
        }
    }

    /// Runs `body` (gfapi calls on `handle`) on the shared pool, bounded by `--timeout` plus a
    /// margin; gfapi's errors become their message.
    func onPool<T: Sendable>(_ what: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await BlockingPool.shared.run(what, seconds: timeout + 30, body)
        } catch let error as GlusterAPIError {
            throw CommandFailure(error.message)
        } catch let error as BlockingPool.TimedOut {
            throw CommandFailure("\(error); check that the volume's bricks answer")
        }
    }
}

/// `brickctl volume df NAME [--server HOST]... [--json]`: space and inodes through libgfapi.
struct VolumeDFCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "df",
        abstract: "Space and inodes of a volume, read through libgfapi.",
        discussion: """
            Connects like a client (glfs_init, ~20 ms when the volume is healthy) and asks statvfs, \
            without mounting anything. For a replicated volume the figures are one replica set's.
            """
    )

    @Argument(help: "The volume's name.")
    var name: String

    @OptionGroup var connection: VolumeConnectionOptions

    func run() async throws {
        let handle = try await connection.handle(name)
        let space = try await connection.onPool("statvfs of volume \(name)") { try handle.statvfs() }
        let report = VolumeSpaceReport(volume: name, servers: connection.serverList, space: space)
        if connection.json {
            print(try JSONOutput.encode(report))
        } else {
            var table = TextTable(
                ["VOLUME", "SIZE", "USED", "AVAIL", "USE%", "INODES", "IUSED", "IFREE", "IUSE%"],
                rightAligned: Set(1...8))
            table.add([
                name, ByteCount(space.size).description, ByteCount(space.used).description,
                ByteCount(space.available).description,
                space.usedPercent.map { "\($0)%" } ?? "-", "\(space.inodes)", "\(space.inodesUsed)",
                "\(space.inodesFree)",
                space.inodesUsedPercent.map { "\($0)%" } ?? "-",
            ])
            print(table.render(), terminator: "")
        }
    }
}

/// `brickctl volume probe NAME [--server HOST]... [--json]`: write, read back, delete, timed.
struct VolumeProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Write, read back and delete a probe file through libgfapi.",
        discussion: """
            The file goes to \(VolumeHealthProbe.directory)/ on the volume (a hidden directory that stays), \
            is fsync'ed, read back, compared and deleted. Exit status 1 names the step that failed.
            """
    )

    @Argument(help: "The volume's name.")
    var name: String

    @OptionGroup var connection: VolumeConnectionOptions

    @Option(help: ArgumentHelp("Size of the probe file in bytes.", valueName: "bytes"))
    var size = 4096

    func validate() throws {
        guard (1...(16 << 20)).contains(size) else {
            throw ValidationError("--size must be between 1 and 16777216 bytes")
        }
    }

    func run() async throws {
        let handle = try await connection.handle(name)
        let size = self.size
        let report = try await connection.onPool("the probe of volume \(name)") {
            try VolumeHealthProbe(payloadSize: size).run(on: handle)
        }
        let json = ProbeReportJSON(report, servers: connection.serverList, connect: handle.initDuration)
        if connection.json {
            print(try JSONOutput.encode(json))
        } else {
            print(
                "volume \(name): probe ok (\(report.bytes) bytes written, read back and deleted in \(Milliseconds(report.total)))"
            )
            var table = TextTable(["STEP", "TIME"], rightAligned: [1])
            table.add(["connect", Milliseconds(handle.initDuration).description])
            for timing in report.steps { table.add([timing.step.rawValue, Milliseconds(timing.duration).description]) }
            print(table.render(), terminator: "")
        }
    }
}

// MARK: - Output shapes

/// `volume df --json`: every key always present; sizes in bytes; percentages null when undefined.
struct VolumeSpaceReport: Encodable {
    var volume: String
    var servers: [String]
    var blockSize: UInt64
    var size: UInt64
    var used: UInt64
    var available: UInt64
    @NullWhenAbsent var usedPercent: Int?
    var inodes: UInt64
    var inodesUsed: UInt64
    var inodesFree: UInt64
    @NullWhenAbsent var inodesUsedPercent: Int?

    init(volume: String, servers: [String], space: VolumeSpace) {
        self.volume = volume
        self.servers = servers
        blockSize = space.blockSize
        size = space.size
        used = space.used
        available = space.available
        usedPercent = space.usedPercent
        inodes = space.inodes
        inodesUsed = space.inodesUsed
        inodesFree = space.inodesFree
        inodesUsedPercent = space.inodesUsedPercent
    }
}

/// `volume probe --json`: times in milliseconds.
struct ProbeReportJSON: Encodable {
    struct Step: Encodable {
        var step: String
        var ms: Double
    }
    var volume: String
    var servers: [String]
    var ok = true
    var path: String
    var bytes: Int
    var connectMs: Double
    var steps: [Step]
    var totalMs: Double

    init(_ report: VolumeHealthProbe.Report, servers: [String], connect: Duration) {
        volume = report.volume
        self.servers = servers
        path = report.path
        bytes = report.bytes
        connectMs = Milliseconds(connect).value
        steps = report.steps.map { Step(step: $0.step.rawValue, ms: Milliseconds($0.duration).value) }
        totalMs = Milliseconds(report.total).value
    }
}

/// A duration in milliseconds, rounded to 0.01 ms: "19.27 ms".
struct Milliseconds: CustomStringConvertible {
    var value: Double

    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        value = (ms * 100).rounded() / 100
    }

    var description: String { "\(value) ms" }
}
