import ArgumentParser
import Foundation
import Gluster

extension VolumeCommand {
    struct Allow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allow",
            abstract: "Let more client addresses mount a volume (adds to auth.allow; safe to run twice).",
            discussion: """
                ADDR: an IPv4/IPv6 address, a pattern like 10.1.0.* or a block like 10.1.0.0/24, or a \
                host name (resolved now; its addresses are listed). '*' lets every address mount \
                (Gluster's default). New mounts are checked against the list.
                """)
        @Argument(help: "The volume's name.") var name: String
        @Argument(help: "Client addresses or host names.") var addresses: [String]
        @Flag(help: "Show the new list, change nothing.") var dryRun = false

        func run() async throws {
            try await changeAuthAllow(of: name, addresses, dryRun: dryRun) { current, given in
                given.contains("*") ? .everyone : try current.adding(given)
            }
        }
    }

    struct Disallow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disallow",
            abstract: "Take client addresses off a volume's auth.allow (safe to run twice).")
        @Argument(help: "The volume's name.") var name: String
        @Argument(help: "Client addresses or host names, as listed by `brickctl volume status`.") var addresses:
            [String]
        @Flag(help: "Show the new list, change nothing.") var dryRun = false

        func run() async throws {
            try await changeAuthAllow(of: name, addresses, dryRun: dryRun) { current, given in
                do throws(AuthAllowError) {
                    return try current.removing(given)
                } catch {
                    throw CommandFailure("\(name): \(error.description.replacingOccurrences(of: "NAME", with: name))")
                }
            }
        }
    }
}

/// `volume allow|disallow`: resolves `addresses` (printing the names it resolved), then sets
/// `auth.allow` of `name` to what `change` makes of the current list and the given addresses,
/// unless it already is; prints the outcome.
private func changeAuthAllow(
    of name: String, _ addresses: [String], dryRun: Bool,
    _ change: (_ current: AuthAllow, _ given: [String]) throws -> AuthAllow
) async throws {
    let shown = try ClientAddresses.resolve(addresses)
    let cli = GlusterCLI()
    let current = try await cli.authAllow(name)
    let wanted = try change(current, shown.map(\.address))
    let names = shown.filter { $0.address != $0.origin }
    if !names.isEmpty { print("resolved: " + names.map(\.description).joined(separator: ", ")) }
    if wanted == current {
        print("\(name): auth.allow is already \(current.value): nothing to do")
        return
    }
    if dryRun {
        print("\(name): would set auth.allow to \(wanted.value) (now \(current.value))")
        return
    }
    try await cli.setAuthAllow(name, wanted)
    print("\(name): auth.allow = \(wanted.value) (was \(current.value))")
}
