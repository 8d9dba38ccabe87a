import ArgumentParser
import Stack

/// `brickctl swarm label|check`: the node labels the WordPress stack's placement reads.
struct SwarmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swarm",
        abstract: "Label Swarm nodes for the WordPress stack and check the labels.",
        subcommands: [Label.self, Check.self]
    )

    struct Label: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "label",
            abstract: "Mark a node as the database node or as a WordPress node (docker node update --label-add).")

        @Argument(help: "The node's hostname or id, as `docker node ls` shows it.")
        var node: String

        @Flag(help: "The one node whose local disk keeps MariaDB's data.")
        var database = false

        @Flag(help: "A node WordPress replicas may run on (never the database node).")
        var wordpress = false

        @Flag(help: "Remove the label instead.")
        var remove = false

        func validate() throws {
            if database == wordpress { throw ValidationError("give exactly one of --database and --wordpress") }
        }

        func run() throws {
            let docker = DockerCLI()
            let label = database ? WordPressStack.databaseLabel : WordPressStack.wordpressLabel
            let nodes = try docker.nodes()
            guard let found = nodes.first(where: { $0.hostname == node || $0.id.hasPrefix(node) }) else {
                throw CommandFailure(
                    "no Swarm node \(node): the nodes are \(nodes.map(\.hostname).sorted().joined(separator: ", ")) (docker node ls)"
                )
            }
            let has = found.labels[label] == "true"
            if has != remove {
                print("\(found.hostname): \(remove ? "has no" : "already has the") \(label) label, nothing to do")
                return
            }
            let change = remove ? ["--label-rm", label] : ["--label-add", "\(label)=true"]
            try docker.check(["node", "update"] + change + [found.id])
            print("\(found.hostname): \(remove ? "removed" : "added") the label \(label)\(remove ? "" : "=true")")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract:
                "Check the Swarm for the WordPress stack: one database node, WordPress nodes apart from it, every node ready."
        )

        @OptionGroup var output: JSONFlag

        func run() throws {
            let nodes = try DockerCLI().nodes()
            let check = SwarmCheck(nodes: nodes)
            if output.json {
                struct Report: Encodable {
                    var passed: Bool
                    var findings: [SwarmCheck.Finding.JSON]
                    var nodes: [Node]
                    struct Node: Encodable {
                        var hostname: String
                        var role: String
                        var state: String
                        var availability: String
                        var database: Bool
                        var wordpress: Bool
                    }
                }
                let report = Report(
                    passed: check.passed, findings: check.findings.map(\.json),
                    nodes: nodes.sorted { $0.hostname < $1.hostname }.map {
                        .init(
                            hostname: $0.hostname, role: $0.role, state: $0.state, availability: $0.availability,
                            database: $0.isDatabase, wordpress: $0.isWordPress)
                    })
                print(try JSONOutput.encode(report))
            } else {
                var table = TextTable(["NODE", "ROLE", "STATE", "AVAILABILITY", "LABELS"])
                for node in nodes.sorted(by: { $0.hostname < $1.hostname }) {
                    let labels = [node.isDatabase ? "database" : nil, node.isWordPress ? "wordpress" : nil].compactMap {
                        $0
                    }
                    table.add([
                        node.hostname, node.role, node.state, node.availability,
                        labels.isEmpty ? "-" : labels.joined(separator: ","),
                    ])
                }
                print(table.render(), terminator: "")
                if check.findings.isEmpty { print("ok: ready for brickctl stack deploy") }
                for finding in check.findings {
                    print(finding.commandLineText)
                }
            }
            if !check.passed {
                throw CommandFailure("the Swarm is not ready for the WordPress stack: run the fixes above")
            }
        }
    }
}
