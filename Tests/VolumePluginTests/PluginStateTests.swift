import BrickctlTestSupport
import Foundation
import Testing

@testable import VolumePlugin

@Suite(.offCooperativePool) struct PluginStateTests {
    func volume(_ name: String, gluster: String? = "gv0", kind: PluginVolume.Kind = .shared, uid: UInt32? = nil)
        -> PluginVolume
    {
        PluginVolume(
            name: name, backing: kind == .shared ? .shared(glusterVolume: gluster ?? "gv0", size: nil) : .local,
            uid: uid,
            createdAt: Date(timeIntervalSince1970: 0), createdOn: "n1")
    }

    @Test func referencesAreExactPerNameAndID() {
        var refs = MountReferences()
        refs.add(volume: "wp", id: "a")
        refs.add(volume: "wp", id: "a")  // the same ID mounted twice
        refs.add(volume: "wp", id: "b")
        #expect(refs.count(of: "wp") == 3)
        let first = refs.remove(volume: "wp", id: "a")
        #expect(first)
        #expect(refs.count(of: "wp") == 2)
        let nobody = refs.remove(volume: "wp", id: "nobody")
        #expect(!nobody, "unknown ID: harmless")
        let other = refs.remove(volume: "other", id: "a")
        #expect(!other)
        #expect(refs.count(of: "wp") == 2)
        let rest = [refs.remove(volume: "wp", id: "a"), refs.remove(volume: "wp", id: "b")]
        #expect(rest == [true, true])
        #expect(!refs.isHeld("wp") && refs.holders.isEmpty)
    }

    @Test func theFuseMountIsReleasedOnlyWhenNoVolumeOnItIsHeld() {
        var state = PluginState()
        for name in ["wp", "uploads"] { state.volumes[name] = volume(name) }
        state.volumes["elsewhere"] = volume("elsewhere", gluster: "gv1")
        state.volumes["db"] = volume("db", kind: .local)
        state.recordMount("wp", id: "c1")
        state.recordMount("uploads", id: "c2")
        state.recordMount("db", id: "c3")
        do {
            let released = state.recordUnmount("wp", id: "c1")
            #expect(released == nil, "uploads still holds gv0's mount")
        }
        do {
            let released = state.recordUnmount("wp", id: "c1")
            #expect(released == nil, "a second unmount of the same ID changes nothing")
        }
        do {
            let released = state.recordUnmount("uploads", id: "c2")
            #expect(released == "gv0")
        }
        do {
            let released = state.recordUnmount("db", id: "c3")
            #expect(released == nil, "local volumes have no FUSE mount")
        }
        do {
            let released = state.recordUnmount("ghost", id: "x")
            #expect(released == nil)
        }
    }

    @Test func createIsIdempotentAndConflictsAreExplained() throws {
        var state = PluginState()
        let wp = volume("wp", uid: 33)
        #expect(try state.decideCreate(wp) == .make(wp))
        state.volumes["wp"] = wp
        var again = wp
        again.createdOn = "n2"  // Swarm: every node calls Create with the same options
        #expect(try state.decideCreate(again) == .exists(wp))
        do {
            _ = try state.decideCreate(volume("wp", uid: 0))
            Issue.record("a different uid was accepted")
        } catch {
            #expect(error.code == .conflict)
            #expect(error.message.contains("uid=33"))
        }
    }

    @Test func removeIsRefusedWhileMountedAndKeepsDataByDefault() throws {
        var state = PluginState()
        state.volumes["wp"] = volume("wp")
        state.recordMount("wp", id: "container-mount-1")
        #expect(throws: PluginError.self) { try state.decideRemove("wp") }
        _ = state.recordUnmount("wp", id: "container-mount-1")
        #expect(try state.decideRemove("wp") == .forget(volume("wp"), deleteFiles: false))
        #expect(try state.decideRemove("never-made") == .unknown)
    }

    @Test func stateRoundTripsAndRejectsDamage() throws {
        var state = PluginState()
        state.volumes["wp"] = volume("wp", uid: 33)
        state.recordMount("wp", id: "x")
        state.bootID = "boot"
        #expect(try PluginState(json: state.json()) == state)
        #expect(state.json() == state.json(), "the same state is the same bytes")
        #expect(throws: PluginError.self) { try PluginState(json: Data("{\"volumes\": 3".utf8)) }
        var future = state
        future.version = 99
        #expect(throws: PluginError.self) { try PluginState(json: future.json()) }
        #expect(try PluginState.volume(fromMarker: PluginState.marker(volume("wp"))) == volume("wp"))
    }

    @Test func requestsAreDecodedLeniently() throws {
        #expect(try PluginRequest(body: Data()) == PluginRequest())
        #expect(
            try PluginRequest(body: Data(#"{"Name":"wp","ID":"abc","Opts":{"uid":"33"},"Extra":1}"#.utf8))
                == PluginRequest(name: "wp", id: "abc", options: ["uid": "33"]))
        #expect(throws: PluginError.self) { try PluginRequest(body: Data("[1,2]".utf8)) }
        #expect(throws: PluginError.self) { try PluginRequest(body: Data(#"{"Name":"wp"}"#.utf8)).validID() }
        #expect(throws: PluginError.self) { try PluginRequest(body: Data(#"{"Name":"../x"}"#.utf8)).validName() }
    }

    @Test func configurationFileAndDefaults() throws {
        let config = try JSONDecoder().decode(
            PluginConfiguration.self, from: Data(#"{"servers":["n1","n2"],"volume":"gv0"}"#.utf8))
        #expect(config.servers == ["n1", "n2"] && config.volume == "gv0")
        #expect(config.socket == "/run/docker/plugins/brickctl.sock")
        #expect(config.stateDirectory == "/var/lib/brickctl/plugin")
        #expect(config.mountPoint(of: "gv0") == "/var/lib/brickctl/plugin/mounts/gv0")
        #expect(throws: PluginError.self) { try PluginConfiguration.load(path: "/nonexistent/plugin.json") }
    }
}

/// Adoption of a volume another host's plugin made (its marker on Gluster), decided as a value.
@Suite(.offCooperativePool) struct MarkerDecisionTests {
    let wp = PluginVolume(
        name: "wp", backing: .shared(glusterVolume: "gv0", size: nil), uid: 33,
        createdAt: Date(timeIntervalSince1970: 0), createdOn: "n1")

    @Test func noMarkerMakesANewVolume() throws {
        #expect(try PluginState.decideMarker(nil, for: wp) == .makeNew)
    }

    @Test func aMarkerWithTheSameSettingsIsAdoptedAsItWasMade() throws {
        var asked = wp
        asked.createdOn = "n2"  // Swarm: the second node's Create
        asked.createdAt = Date(timeIntervalSince1970: 100)
        #expect(try PluginState.decideMarker(wp, for: asked) == .adopt(wp))
    }

    @Test func aMarkerWithOtherSettingsIsAConflictThatSaysBoth() {
        var asked = wp
        asked.uid = 0
        #expect {
            try PluginState.decideMarker(wp, for: asked)
        } throws: { error in
            guard let error = error as? PluginError else { return false }
            return error.code == .conflict && error.message.contains("uid=33") && error.message.contains("uid=0")
                && error.message.contains("made on n1") && error.message.contains("Gluster volume gv0")
        }
    }

    @Test func adoptionKeepsAVolumeKnownHere() {
        var state = PluginState()
        #expect(state.adopt(wp) == wp)
        var other = wp
        other.createdOn = "n9"
        #expect(state.adopt(other) == wp, "the volume known here wins")
        #expect(state.volumes == ["wp": wp])
    }
}
