import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct BrickOutagesTests {
    @Test func theKilledBrickIsOfflineSinceItsFirstDisconnect() throws {
        let log = try Fixture.text("glustershd-brick-offline.log.txt")
        let since = BrickOutages.parse(log: log, volume: "gv0")
        // n3's brick (index 2) was killed at 00:56:00.854; 0 and 1 connected after their early
        // disconnects at start-up.
        #expect(Array(since.keys) == [2])
        let expected = try #require(BrickOutages.timestamp("[2026-12-07 00:56:00.854509 +0000] I"))
        #expect(since[2] == expected)
        #expect(BrickOutages.parse(log: log, volume: "gv").isEmpty)
    }

    @Test func timestampsAreUTC() throws {
        let date = try #require(BrickOutages.timestamp("[1970-01-01 00:01:40.500000 +0000] I [x]"))
        #expect(date.timeIntervalSince1970 == 100.5)
    }

    @Test func aReconnectClearsTheOutage() {
        let log = """
            [2026-12-07 01:00:00.000000 +0000] I [MSGID: 114018] [client.c:2244:client_rpc_notify] 2-gv0-client-1: disconnected from client
            [2026-12-07 01:00:05.000000 +0000] I [MSGID: 114046] [client-handshake.c:856:client_setvolume_cbk] 2-gv0-client-1: Connected, attached
            [2026-12-07 01:00:09.000000 +0000] I [MSGID: 114018] [client.c:2244:client_rpc_notify] 2-gv0-client-10: disconnected from client
            """
        let since = BrickOutages.parse(log: log, volume: "gv0")
        #expect(Array(since.keys) == [10])
    }
}
