import ArgumentParser
import Foundation
import Gluster

extension VolumeCommand {
    struct Allow: ParsableCommand {
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

        func run() throws {
            let given = try ClientAddresses.resolve(addresses)
            let cli = GlusterCLI()
            let current = try cli.authAllow(name)
            let wanted = given.contains { $0.address == "*" } ? .everyone : try current.adding(given.map(\.address))
            try apply(name: name, from: current, to: wanted, cli: cli, dryRun: dryRun, shown: given)
        }
    }

    struct Disallow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disallow",
            abstract: "Take client addresses off a volume's auth.allow (safe to run twice).")
        @Argument(help: "The volume's name.") var name: String
        @Argument(help: "Client addresses or host names, as listed by `brickctl volume status`.") var addresses:
            [String]
        @Flag(help: "Show the new list, change nothing.") var dryRun = false

        func run() throws {
            let given = try ClientAddresses.resolve(addresses)
            let cli = GlusterCLI()
            let current = try cli.authAllow(name)
            let wanted: AuthAllow
            do {
                wanted = try current.removing(given.map(\.address))
            } catch {
                throw CommandFailure("\(name): \(error.description.replacingOccurrences(of: "NAME", with: name))")
            }
            try apply(name: name, from: current, to: wanted, cli: cli, dryRun: dryRun, shown: given)
        }
    }
}

/// Sets `auth.allow` of `name` to `wanted` unless it already is; prints the outcome.
private func apply(
    name: String, from current: AuthAllow, to wanted: AuthAllow, cli: GlusterCLI, dryRun: Bool,
    shown: [AuthAllow.Source]
) throws {
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
    try cli.setAuthAllow(name, wanted)
    print("\(name): auth.allow = \(wanted.value) (was \(current.value))")
}
