import ArgumentParser
import Gluster

/// `brickctl peer probe|detach|list`: the trusted pool.
struct PeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer",
        abstract: "Add hosts to the Gluster trusted pool, remove them, list them.",
        subcommands: [Probe.self, Detach.self, List.self]
    )

    struct Probe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "probe",
            abstract: "Add hosts to the pool; a host already in it is a quiet success.")

        @Argument(help: "Host names (as the other hosts resolve them) or addresses.")
        var hosts: [String]

        @Flag(help: "Print the outcome as JSON.")
        var json = false

        func validate() throws {
            if hosts.isEmpty { throw ValidationError("name at least one host to probe") }
        }

        func run() async throws {
            let cli = GlusterCLI()
            var outcomes: [PeerProbe] = []
            for host in hosts {
                outcomes.append(try await cli.probe(host))
            }
            if json {
                print(try JSONOutput.encode(["probes": outcomes]))
                return
            }
            for outcome in outcomes {
                switch outcome.outcome {
                case .added: print("\(outcome.host): added to the pool")
                default: print("\(outcome.host): already in the pool")
                }
            }
        }
    }

    struct Detach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "detach",
            abstract: "Remove a host from the pool (refused while it hosts bricks).")

        @Argument var host: String

        func run() async throws {
            let cli = GlusterCLI()
            let removed = try await cli.detach(host)
            print(removed ? "\(host): removed from the pool" : "\(host): not in the pool, nothing to do")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "The pool's hosts and whether glusterd on each answers.")

        @OptionGroup var output: JSONFlag

        func run() async throws {
            let cli = GlusterCLI()
            let peers = try await cli.peers()
            if output.json {
                print(try JSONOutput.encode(["peers": peers]))
                return
            }
            var table = TextTable(["HOST", "UUID", "CONNECTED", "STATE"])
            for peer in peers {
                let names = ([peer.isSelf ? "\(peer.hostname) (this host)" : peer.hostname] + peer.otherHostnames)
                    .joined(separator: ", ")
                table.add([names, peer.uuid, peer.connected ? "yes" : "no", peer.isSelf ? "-" : peer.state ?? "?"])
            }
            print(table.render(), terminator: "")
        }
    }
}
