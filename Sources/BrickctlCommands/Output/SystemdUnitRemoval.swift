import Foundation
import HostIO

/// `brickctl plugin|exporter uninstall`: a unit of brickctl's disabled and its file removed; safe
/// to run twice.
enum SystemdUnitRemoval {
    /// Runs `systemctl disable --now NAME` (unless `callSystemctl` is false), removes
    /// `unitDirectory/NAME`, then `systemctl daemon-reload`; prints what it did.
    /// - Throws: the file's removal error.
    static func run(unit name: String, unitDirectory: String, callSystemctl: Bool) throws {
        if callSystemctl { _ = try? Command("systemctl", ["disable", "--now", name]).run(timeout: 120) }
        let unitPath = "\(unitDirectory)/\(name)"
        if FileManager.default.fileExists(atPath: unitPath) {
            try FileManager.default.removeItem(atPath: unitPath)
            print("removed \(unitPath)")
        } else {
            print("\(unitPath) is not installed: nothing to do")
        }
        if callSystemctl { _ = try? Command("systemctl", ["daemon-reload"]).run(timeout: 120) }
    }
}
