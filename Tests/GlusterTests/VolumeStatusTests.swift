import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct VolumeStatusTests {
    let root = "/data/glusterfs/brick1/brick"

    func status(_ fixture: String) throws -> VolumeStatus {
        let list = try VolumeStatus.list(from: Fixture.envelope(fixture))
        try #require(list.count == 1)
        return list[0]
    }

    @Test func allOnline() throws {
        let status = try status("volume-status-started")
        #expect(status.name == "gv0")
        #expect(status.bricks.map(\.address.description) == ["n1:\(root)/gv0", "n2:\(root)/gv0", "n3:\(root)/gv0"])
        #expect(status.bricks.allSatisfy { $0.online })
        #expect(status.bricks.map(\.port) == [60305, 55421, 57598])
        #expect(status.bricks.map(\.pid) == [14957, 14985, 14992])
        #expect(status.bricks[0].hostUUID == "10166b89-381a-403d-bf41-03107b526174")
        #expect(status.bricks.allSatisfy { $0.disk == nil })
        #expect(status.selfHealDaemons.map(\.host) == ["localhost", "n3", "n2"])
        #expect(status.selfHealDaemons.map(\.pid) == [14974, 15029, 15018])
        #expect(status.selfHealDaemons.allSatisfy { $0.online })
        #expect(status.selfHealDaemons[0].hostUUID == "10166b89-381a-403d-bf41-03107b526174")
    }

    @Test func killedBrickIsOfflineWithoutPortOrPid() throws {
        let status = try status("volume-status-brick-offline")
        let n3 = try #require(status.brick(BrickAddress(host: "n3", path: "\(root)/gv0")))
        #expect(!n3.online)
        #expect(n3.port == nil)
        #expect(n3.pid == nil)
        #expect(status.bricks.filter { $0.online }.count == 2)
        #expect(status.selfHealDaemons.allSatisfy { $0.online })
    }

    @Test func aHostWhoseGlusterdIsDownIsMissing() throws {
        let status = try status("volume-status-peer-down")
        #expect(status.bricks.map(\.address.host) == ["n1", "n3"])
        #expect(status.brick(BrickAddress(host: "n2", path: "\(root)/gv0")) == nil)
        #expect(status.bricks.map(\.online) == [true, false])
        #expect(status.selfHealDaemons.map(\.host) == ["localhost", "n3"])
    }

    @Test func killedSelfHealDaemon() throws {
        let status = try status("volume-status-shd-offline")
        #expect(status.bricks.allSatisfy { $0.online })
        let n3 = try #require(status.selfHealDaemons.first { $0.host == "n3" })
        #expect(!n3.online && n3.pid == nil)
        #expect(n3.hostUUID == "f4c68bd5-9b96-4895-8a25-7c790830c0f4")
    }

    @Test func arbiterAloneOnline() throws {
        let status = try status("volume-status-arbiter-only")
        #expect(status.name == "gva")
        #expect(status.bricks.map(\.online) == [false, false, true])
        #expect(status.selfHealDaemons.map(\.online) == [true, true, false])
    }

    @Test func wholeReplicaSetDown() throws {
        let status = try status("volume-status-replica-set-down")
        #expect(status.bricks.count == 6)
        #expect(status.bricks.filter { !$0.online }.map(\.address.path) == Array(repeating: "\(root)/gvd-a", count: 3))
        #expect(status.bricks.filter { $0.online }.map(\.port) == [58499, 51278, 51979])
    }

    @Test func detailAddsTheFilesystemAndDropsTheDaemons() throws {
        let status = try status("volume-status-started-detail")
        #expect(status.selfHealDaemons.isEmpty)
        #expect(status.bricks.map(\.port) == [60305, 55421, 57598])
        let disk = try #require(status.bricks[0].disk)
        #expect(disk.device == "/dev/loop5p1")
        #expect(disk.filesystem == "xfs")
        #expect(disk.mountOptions == "rw,noatime,inode64,logbufs=8,logbsize=32k,noquota")
        #expect(disk.blockSize == 4096)
        #expect(disk.bytesTotal == 1_004_535_808)
        #expect(disk.bytesFree == 963_461_120)
        #expect(disk.inodesTotal == 523_264)
        #expect(disk.inodesFree == 522_984)
        #expect(status.bricks.map { $0.disk?.device } == ["/dev/loop5p1", "/dev/loop6p1", "/dev/loop7p1"])
    }

    @Test func notStartedHasNoStatus() throws {
        let envelope = try Fixture.envelope("fail-status-not-started")
        #expect(envelope.opErrno == 30800)
        #expect(envelope.refusal(subject: "gv0").kind == .volumeNotStarted)
        #expect(throws: GlusterXMLError.self) { try VolumeStatus.list(from: envelope) }
    }

    @Test func offlineBrickEncodesNullPortAndPid() throws {
        let brick = try status("volume-status-brick-offline").bricks[2]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(brick), as: UTF8.self)
        #expect(
            json
                == #"{"address":"n3:\/data\/glusterfs\/brick1\/brick\/gv0","disk":null,"hostUuid":"f4c68bd5-9b96-4895-8a25-7c790830c0f4","online":false,"pid":null,"port":null}"#
        )
        #expect(try JSONDecoder().decode(VolumeStatus.Brick.self, from: Data(json.utf8)) == brick)
    }
}
