import Foundation
import Gluster
import HostIO
import Testing

extension Integration {
    /// `BrickReset` on a real directory with the attributes glusterd leaves (setting trusted.* needs root).
    @Suite struct BrickResetTests {
        func setAttribute(_ path: String, _ name: String) throws {
            try Command(
                "python3", ["-c", "import os,sys; os.setxattr(sys.argv[1], sys.argv[2], os.urandom(16))", path, name]
            ).check()
        }

        @Test func removesOnlyGlusterStateAndKeepsTheFiles() throws {
            try Fixtures.requireRoot()
            let brick = try Fixtures.directory("oldbrick")
            defer { try? FileManager.default.removeItem(atPath: brick) }
            try setAttribute(brick, "trusted.glusterfs.volume-id")
            try setAttribute(brick, "trusted.gfid")
            try setAttribute(brick, "trusted.afr.gv0-client-1")
            try setAttribute(brick, "user.keep")
            try FileManager.default.createDirectory(
                atPath: brick + "/.glusterfs/00/00", withIntermediateDirectories: true)
            try "wp-config\n".write(toFile: brick + "/wp-config.php", atomically: true, encoding: .utf8)

            let reset = BrickReset(path: brick)
            #expect(
                try reset.glusterAttributes() == [
                    "trusted.afr.gv0-client-1", "trusted.gfid", "trusted.glusterfs.volume-id",
                ])
            #expect(throws: BrickResetError.self) { try reset.run(volumesUsingIt: ["gv0"]) }
            #expect(try reset.glusterAttributes().count == 3, "a refused reset changes nothing")

            let report = try reset.run(volumesUsingIt: [])
            #expect(report.attributes.count == 3)
            #expect(report.removedGlusterfsStore)
            #expect(try reset.glusterAttributes().isEmpty)
            let left = try Command("python3", ["-c", "import os,sys; print(sorted(os.listxattr(sys.argv[1])))", brick])
                .check().stdout
            #expect(left.trimmingCharacters(in: .whitespacesAndNewlines) == "['user.keep']")
            #expect(!FileManager.default.fileExists(atPath: brick + "/.glusterfs"))
            #expect(try String(contentsOfFile: brick + "/wp-config.php", encoding: .utf8) == "wp-config\n")
        }
    }
}
