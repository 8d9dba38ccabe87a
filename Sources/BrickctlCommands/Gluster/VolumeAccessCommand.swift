import ArgumentParser
import Foundation
import Gluster

/// Client addresses typed by the user (`10.0.0.5`, `10.0.0.*`, `client1`): patterns as they are,
/// names resolved once, here, so the list shows what Gluster will compare.
enum ClientAddresses {
    /// - Throws: `CommandFailure` naming a name that does not resolve.
    static func resolve(_ words: [String], origin: String? = nil) throws -> [AuthAllow.Source] {
        var result: [AuthAllow.Source] = []
        for word in words.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let text = word.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "*" || AuthAllow.isAddressPattern(text) {
                result.append(AuthAllow.Source(address: text, origin: origin ?? text))
                continue
            }
            do {
                for address in try HostAddresses.resolve(text) { result.append(AuthAllow.Source(address: address, origin: text)) }
            } catch {
                throw CommandFailure(error.description)
            }
        }
        return result
    }

    /// The pool's hosts (this one and every peer in the cluster) with their addresses, resolved
    /// now. This host's name may resolve only to loopback (Debian's 127.0.1.1): then the address
    /// it reaches the first other peer from counts instead.
    /// - Throws: `CommandFailure` when a peer's name does not resolve.
    static func pool(_ peers: [Peer]) throws -> [(name: String, addresses: [String])] {
        let others = peers.filter { !$0.isSelf && $0.isInCluster }
        var hosts: [(name: String, addresses: [String])] = []
        let me = LocalGlusterd.hostname
        var mine = (try? HostAddresses.resolve(me)) ?? []
        if mine.allSatisfy(HostAddresses.isLoopback), let toward = others.first?.hostname,
            let source = HostAddresses.sourceAddress(toward: toward)
        {
            mine = [source]
        }
        hosts.append((me, mine))
        for peer in others {
            do {
                hosts.append((peer.hostname, try HostAddresses.resolve(peer.hostname)))
            } catch {
                throw CommandFailure("pool host \(error.description)")
            }
        }
        return hosts
    }
}

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
            let current = try gluster { () throws(GlusterCLIError) in try cli.authAllow(name) }
            let wanted: AuthAllow
            do {
                wanted = given.contains { $0.address == "*" } ? .everyone : try current.adding(given.map(\.address))
            } catch {
                throw CommandFailure(error.description)
            }
            try apply(name: name, from: current, to: wanted, cli: cli, dryRun: dryRun, shown: given)
        }
    }

    struct Disallow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disallow",
            abstract: "Take client addresses off a volume's auth.allow (safe to run twice).")
        @Argument(help: "The volume's name.") var name: String
        @Argument(help: "Client addresses or host names, as listed by `brickctl volume status`.") var addresses: [String]
        @Flag(help: "Show the new list, change nothing.") var dryRun = false

        func run() throws {
            let given = try ClientAddresses.resolve(addresses)
            let cli = GlusterCLI()
            let current = try gluster { () throws(GlusterCLIError) in try cli.authAllow(name) }
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
private func apply(name: String, from current: AuthAllow, to wanted: AuthAllow, cli: GlusterCLI, dryRun: Bool, shown: [AuthAllow.Source]) throws {
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
    try gluster { () throws(GlusterCLIError) in try cli.setAuthAllow(name, wanted) }
    print("\(name): auth.allow = \(wanted.value) (was \(current.value))")
}
