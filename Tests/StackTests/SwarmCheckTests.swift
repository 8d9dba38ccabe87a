import BrickctlTestSupport
import Foundation
import Testing

@testable import Stack

@Suite(.offCooperativePool) struct SwarmCheckTests {
    let manager = SwarmNode(id: "a", hostname: "n1", role: "manager")

    func node(_ name: String, _ labels: [String: String] = [:], state: String = "ready") -> SwarmNode {
        SwarmNode(id: name, hostname: name, state: state, labels: labels)
    }

    @Test func theRecipesLabelsPass() {
        let check = SwarmCheck(nodes: [
            manager, node("n2", ["wordpress": "true"]), node("n3", ["wordpress": "true"]),
            node("n4", ["database": "true"]),
        ])
        #expect(check.findings.isEmpty)
        #expect(check.passed)
    }

    @Test func noLabelsAtAllSaysWhatToLabel() {
        let check = SwarmCheck(nodes: [manager, node("n2"), node("n3")])
        #expect(!check.passed)
        #expect(
            check.findings.map(\.remedy) == [
                .label(node: "n3", .database, remove: false), .label(node: "n2", .wordpress, remove: false),
            ])
    }

    @Test func twoDatabaseNodesAreOneTooMany() {
        let check = SwarmCheck(nodes: [
            manager, node("n2", ["database": "true"]), node("n3", ["database": "true"]),
            node("n4", ["wordpress": "true"]),
        ])
        #expect(!check.passed)
        #expect(check.findings.count == 1)
        #expect(check.findings[0].remedy == .label(node: "n3", .database, remove: true))
    }

    @Test func wordpressOnlyOnTheDatabaseNodeIsNotEnough() {
        let check = SwarmCheck(nodes: [manager, node("n2", ["database": "true", "wordpress": "true"]), node("n3")])
        #expect(!check.passed)
        #expect(check.findings.map(\.severity) == [.warning, .error])
        #expect(check.findings[1].remedy == .label(node: "n3", .wordpress, remove: false))
    }

    @Test func aNodeThatIsDownIsAnError() {
        let check = SwarmCheck(nodes: [
            manager, node("n2", ["wordpress": "true"]), node("n3", ["database": "true"], state: "down"),
        ])
        #expect(!check.passed)
        #expect(check.findings.first?.message.contains("n3 is down") == true)
    }

    @Test func nodesParseFromDockerNodeInspect() throws {
        let json = """
            [{"ID":"abc","Spec":{"Labels":{"database":"true"},"Role":"worker","Availability":"active"},
              "Description":{"Hostname":"n4"},"Status":{"State":"ready","Addr":"10.111.0.14"}},
             {"ID":"def","Spec":{"Labels":{},"Role":"manager","Availability":"active"},
              "Description":{"Hostname":"n1"},"Status":{"State":"ready","Addr":"10.111.0.11"},"ManagerStatus":{"Leader":true}}]
            """
        let nodes = try SwarmNode.parse(inspectJSON: Data(json.utf8))
        #expect(nodes.map(\.hostname) == ["n4", "n1"])
        #expect(nodes[0].isDatabase && !nodes[0].isWordPress)
        #expect(nodes[1].role == "manager" && nodes[1].address == "10.111.0.11")
        #expect(throws: StackError.self) { try SwarmNode.parse(inspectJSON: Data("Error: not a manager".utf8)) }
    }

    @Test func deployProgressCountsRunningTasksAndReportsErrors() {
        let lines = """
            {"CurrentState":"Running 3 seconds ago","DesiredState":"Running","Error":"","ID":"t1","Image":"x","Name":"wp_wordpress.1","Node":"n2","Ports":""}
            {"CurrentState":"Pending 3 seconds ago","DesiredState":"Running","Error":"no suitable node (scheduling constraints not satisfied on 4 nodes)","ID":"t2","Image":"x","Name":"wp_wordpress.2","Node":"","Ports":""}
            {"CurrentState":"Starting 2 seconds ago","DesiredState":"Running","Error":"","ID":"t3","Image":"x","Name":"wp_db.1","Node":"n4","Ports":""}
            {"CurrentState":"Failed 20 seconds ago","DesiredState":"Shutdown","Error":"task: non-zero exit (1)","ID":"t0","Image":"x","Name":"wp_db.1","Node":"n4","Ports":""}
            """
        let tasks = StackTask.parse(jsonLines: lines)
        #expect(tasks.count == 4)
        #expect(tasks[0].service(inStack: "wp") == "wordpress")
        let progress = DeployProgress(stack: "wp", tasks: tasks, replicas: ["wordpress": 2, "db": 1])
        #expect(progress.summary == "db 0/1, wordpress 1/2")
        #expect(!progress.done)
        #expect(progress.errors.count == 2)
        #expect(progress.errors[0].task == "t2")
        #expect(
            progress.errors[0].message
                == "wp_wordpress.2 on no node: Pending: no suitable node (scheduling constraints not satisfied on 4 nodes)"
        )
        #expect(progress.errors[1].message.contains("non-zero exit"))
        let later = DeployProgress(
            stack: "wp",
            tasks: tasks.map {
                var t = $0
                if t.desiredState == "Running" {
                    t.currentState = "Running now"
                    t.error = ""
                }
                return t
            },
            replicas: ["wordpress": 2, "db": 1])
        #expect(later.done)
    }
}
