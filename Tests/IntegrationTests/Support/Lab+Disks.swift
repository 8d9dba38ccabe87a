import Foundation
import HostIO

extension Lab {
    /// `scripts/lab disk add NODE [SIZE]`: a new raw loop disk in `node`; returns its device.
    func addDisk(_ node: String, size: String = "1G") throws -> String {
        let out = try Command(script, ["disk", "add", node, size], environment: ["LAB_ID": Lab.id]).run()
        guard out.succeeded, let loop = out.stdout.split(separator: "\n").last.map(String.init),
            loop.hasPrefix("/dev/loop")
        else { throw FixtureError("lab disk add \(node) failed: \(out.stderr)\(out.stdout)") }
        return loop
    }

    /// `scripts/lab disk pull NODE LOOP`: the disk goes away (unmounted in the node, detached).
    func pullDisk(_ node: String, _ loop: String) throws {
        let out = try Command(script, ["disk", "pull", node, loop], environment: ["LAB_ID": Lab.id]).run()
        guard out.succeeded else {
            throw FixtureError("lab disk pull \(node) \(loop) failed: \(out.stderr)\(out.stdout)")
        }
    }
}
