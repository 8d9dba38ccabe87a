public import ArgumentParser
import Foundation

/// `brickctl`: bare disks to a replicated GlusterFS volume for Docker.
public struct Brickctl: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "brickctl",
        abstract: "Turn bare disks into GlusterFS bricks and volumes, safely and repeatably.",
        subcommands: [
            DisksCommand.self, PrepareCommand.self, ReleaseCommand.self, BricksCommand.self, PeerCommand.self,
            VolumeCommand.self, BrickCommand.self, PluginCommand.self, TLSCommand.self, StackCommand.self,
            SwarmCommand.self,
            StatusCommand.self, ExporterCommand.self,
            NodeCommand.self,
            BackupCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line and exits: 0 done, 1 refused or failed (message on stderr), 2 usage error.
    public static func run(arguments: [String]? = nil) async -> Never {
        // The subcommand being run: a ValidationError from its run() shows its own usage, not the root's.
        var running: (any ParsableCommand.Type)?
        do {
            var command = try parseAsRoot(arguments)
            running = type(of: command)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("brickctl: \(failure.message)\n".utf8))
            Foundation.exit(failure.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            if let validation = error as? ValidationError, let running, running != Brickctl.self {
                let usage = usageString(for: running)
                FileHandle.standardError.write(Data("Error: \(validation.message)\nUsage: \(usage)\n".utf8))
                Foundation.exit(2)
            }
            if code == .validationFailure || error is ValidationError {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            // Errors from the domains say what is wrong; the command layer words the fix (CommandLineWorded).
            FileHandle.standardError.write(Data("brickctl: \(commandLineText(for: error))\n".utf8))
            Foundation.exit(1)
        }
    }
}

/// A refusal or failure to show the user as is, with the exit code to leave with.
public struct CommandFailure: Error, CustomStringConvertible {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
