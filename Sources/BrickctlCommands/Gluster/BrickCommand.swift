import ArgumentParser
import Foundation
import Gluster

/// `brickctl brick reset PATH`: make a brick directory of a deleted volume usable again.
struct BrickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brick",
        abstract: "Operations on bricks: reset a directory of this host, replace a brick of a volume.",
        subcommands: [Reset.self, BrickReplaceCommand.self]
    )

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset",
            abstract:
                "Remove what a deleted volume left on a brick directory (its attributes and .glusterfs store); the files stay.",
            discussion:
                "Refused while the directory is a brick of a volume glusterd knows. Needs glusterd running, or --force."
        )

        @Argument(help: "The brick directory on this host.")
        var path: String

        @Flag(help: "Reset even when glusterd cannot be asked whether a volume uses it.")
        var force = false

        func run() async throws {
            let reset = BrickReset(path: path)
            let attributes = try reset.glusterAttributes()
            var users: [String] = []
            do {
                users = try await GlusterCLI().volumesUsing(path: path, hostUUID: LocalGlusterd.uuid)
            } catch {
                guard force else {
                    throw CommandFailure(
                        "cannot ask glusterd whether a volume still uses \(path) (\(error)); start glusterd, or pass --force if you are sure"
                    )
                }
            }
            if attributes.isEmpty && !FileManager.default.fileExists(atPath: path + "/.glusterfs") {
                print("\(path) carries no Gluster attributes: nothing to do")
                return
            }
            let report = try reset.run(volumesUsingIt: users)
            print(
                "\(path): removed \(report.attributes.joined(separator: ", "))\(report.removedGlusterfsStore ? " and .glusterfs" : ""); the files stay"
            )
        }
    }
}
