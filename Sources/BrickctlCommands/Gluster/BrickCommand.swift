import ArgumentParser
import Foundation
import Glibc
import Gluster

/// `brickctl brick reset PATH`: make a brick directory of a deleted volume usable again.
struct BrickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brick",
        abstract: "Operations on one brick directory of this host.",
        subcommands: [Reset.self]
    )

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset",
            abstract: "Remove what a deleted volume left on a brick directory (its attributes and .glusterfs store); the files stay.",
            discussion: "Refused while the directory is a brick of a volume glusterd knows. Needs glusterd running, or --force.")

        @Argument(help: "The brick directory on this host.")
        var path: String

        @Flag(help: "Reset even when glusterd cannot be asked whether a volume uses it.")
        var force = false

        func run() throws {
            let reset = BrickReset(path: path)
            let attributes: [String]
            do {
                attributes = try reset.glusterAttributes()
            } catch {
                throw CommandFailure("\(error)")
            }
            var users: [String] = []
            do {
                users = try volumesUsing(path: path)
            } catch {
                guard force else {
                    throw CommandFailure("cannot ask glusterd whether a volume still uses \(path) (\(error)); start glusterd, or pass --force if you are sure")
                }
            }
            if attributes.isEmpty && !FileManager.default.fileExists(atPath: path + "/.glusterfs") {
                print("\(path) carries no Gluster attributes: nothing to do")
                return
            }
            do {
                let report = try reset.run(volumesUsingIt: users)
                print("\(path): removed \(report.attributes.joined(separator: ", "))\(report.removedGlusterfsStore ? " and .glusterfs" : ""); the files stay")
            } catch {
                throw CommandFailure("\(error)")
            }
        }

        /// Volumes with a brick at `path` on this host (matched by glusterd's UUID of this host).
        func volumesUsing(path: String) throws -> [String] {
            let volumes = try GlusterCLI().volumes()
            let ownUUID = LocalGlusterd.uuid
            return volumes.filter { volume in
                volume.bricks.contains { $0.address.path == path && (ownUUID == nil || $0.hostUUID == ownUUID) }
            }.map(\.name)
        }
    }
}

/// Facts about this host's glusterd.
enum LocalGlusterd {
    /// The UUID glusterd gave this host (`/var/lib/glusterd/glusterd.info`).
    static var uuid: String? {
        guard let text = try? String(contentsOfFile: "/var/lib/glusterd/glusterd.info", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("UUID=") }.map { String($0.dropFirst(5)) }
    }

    /// This host's name as peers should know it.
    static var hostname: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
