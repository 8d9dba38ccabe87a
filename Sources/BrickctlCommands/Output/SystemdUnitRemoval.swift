import ArgumentParser
import Foundation
import HostIO

/// `brickctl plugin|exporter uninstall`: a unit of brickctl's disabled and its file removed; safe
/// to run twice. The options both commands take.
struct SystemdUnitRemoval: ParsableArguments {
    @Option(name: .customLong("unit-dir"), help: "Where systemd units go.") var unitDirectory =
        "/etc/systemd/system"
    @Flag(help: "Remove the file only; do not call systemctl.") var noEnable = false

    /// Runs `systemctl disable --now NAME` (unless `--no-enable`), removes `unitDirectory/NAME`,
    /// then `systemctl daemon-reload`; prints what it did.
    /// - Throws: the file's removal error.
    func run(unit name: String) throws {
        if !noEnable { _ = try? Command("systemctl", ["disable", "--now", name]).run(timeout: 120) }
        let unitPath = "\(unitDirectory)/\(name)"
        if FileManager.default.fileExists(atPath: unitPath) {
            try FileManager.default.removeItem(atPath: unitPath)
            print("removed \(unitPath)")
        } else {
            print("\(unitPath) is not installed: nothing to do")
        }
        if !noEnable { _ = try? Command("systemctl", ["daemon-reload"]).run(timeout: 120) }
    }
}
