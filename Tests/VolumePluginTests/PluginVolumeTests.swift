import BrickctlTestSupport
import Foundation
import Glibc
import Testing

@testable import Gluster
@testable import VolumePlugin

/// A volume's backing as a value, in the form the state file and the markers have always had.
@Suite(.offCooperativePool) struct PluginVolumeTests {
    /// `PluginVolume` as brickctl wrote it before `Backing` (synthesized Codable): the saved form.
    struct SavedForm: Codable, Equatable {
        var name: String
        var kind: PluginVolume.Kind
        var glusterVolume: String?
        var uid: UInt32?
        var gid: UInt32?
        var mode: UInt32
        var size: String?
        var deleteOnRemove: Bool
        var createdAt: Date
        var createdOn: String
    }

    static let saved = [
        SavedForm(
            name: "wp", kind: .shared, glusterVolume: "gv0", uid: 33, gid: 33, mode: 0o2775, size: "10GB",
            deleteOnRemove: true, createdAt: Date(timeIntervalSince1970: 1_700_000_000), createdOn: "n1"),
        SavedForm(
            name: "up", kind: .shared, glusterVolume: "gv1", uid: nil, gid: nil, mode: 0o755, size: nil,
            deleteOnRemove: false, createdAt: Date(timeIntervalSince1970: 0), createdOn: "n2"),
        SavedForm(
            name: "db", kind: .local, glusterVolume: nil, uid: 999, gid: nil, mode: 0o700, size: nil,
            deleteOnRemove: false, createdAt: Date(timeIntervalSince1970: 5), createdOn: "n3"),
    ]

    @Test(arguments: saved) func theSavedFormIsReadAndWrittenAsBefore(_ old: SavedForm) throws {
        let bytes = try PluginState.encoder.encode(old)
        let volume = try PluginState.decoder.decode(PluginVolume.self, from: bytes)
        #expect(volume.kind == old.kind && volume.glusterVolume == old.glusterVolume && volume.size == old.size)
        #expect(try PluginState.encoder.encode(volume) == bytes, "the same bytes as before")
        #expect(PluginState.marker(volume) == bytes)
    }

    @Test func backingCarriesTheGlusterVolumeAndSize() {
        let shared = PluginVolume(name: "wp", backing: .shared(glusterVolume: "gv0", size: "1GB"))
        #expect(shared.kind == .shared && shared.glusterVolume == "gv0" && shared.size == "1GB")
        #expect(shared.optionsText == "type=shared,volume=gv0,mode=755,size=1GB")
        let local = PluginVolume(name: "db", backing: .local)
        #expect(local.kind == .local && local.glusterVolume == nil && local.size == nil)
        #expect(!local.sameSettings(as: PluginVolume(name: "db", backing: .shared(glusterVolume: "gv0", size: nil))))
        var bigger = shared
        bigger.backing = .shared(glusterVolume: "gv0", size: "2GB")
        #expect(!shared.sameSettings(as: bigger))
    }

    @Test func aSharedVolumeWithoutItsGlusterVolumeIsDamaged() {
        let json =
            #"{"name":"wp","kind":"shared","mode":493,"deleteOnRemove":false,"createdAt":"1970-01-01T00:00:00Z","createdOn":"n1"}"#
        #expect(throws: DecodingError.self) { try PluginState.decoder.decode(PluginVolume.self, from: Data(json.utf8)) }
        #expect {
            try MarkerListing.volume(named: "wp", marker: Data(json.utf8), glusterVolume: "gv0")
        } throws: { ($0 as? PluginError)?.code == .damagedMarker }
    }

    @Test func anAuthRefusalIsWordedInGlusterTermsForAPoolHost() {
        let hint = AuthRefusal(volume: "gv", clientAddress: "10.0.0.14").pluginHint
        #expect(
            hint
                == "the bricks refused this host (auth.allow of gv does not list 10.0.0.14): on a pool host add 10.0.0.14 to the volume's auth.allow (`gluster volume get gv auth.allow` shows the list, `gluster volume set gv auth.allow LIST,10.0.0.14` sets it)"
        )
        #expect(!hint.contains("brickctl"))
    }

    @Test func causesAreTypedAndWordedAsBefore() {
        let stale = PluginError(.notOnGluster, "gone", because: .errno(ENOTCONN))
        #expect(stale.cause == .errno(ENOTCONN))
        #expect(stale.description == "gone (\(String(cString: strerror(ENOTCONN))))")
        let refused = PluginError(.gluster, "not allowed", because: .refused("permission denied"))
        #expect(refused.isRefusal && refused.description == "not allowed (permission denied)")
        let text = PluginError(.io, "x", cause: "why")
        #expect(!text.isRefusal && text.cause == .text("why") && text.description == "x (why)")
        #expect(PluginError(.io, "x", cause: "").description == "x")
    }

    @Test func fuseHealthInStatusWords() {
        #expect(FuseMounts.Health.mounted.description == "mounted")
        #expect(FuseMounts.Health.absent.description == "not mounted")
        #expect(
            FuseMounts.Health.stale(errno: ENOTCONN).description == "stale: \(String(cString: strerror(ENOTCONN)))")
        #expect(FuseMounts.Health.foreign("tmpfs").description == "foreign: tmpfs")
        #expect(FuseMounts.Health.absent.mountFailureWords == "absent", "a mount's cause says 'mount point absent'")
    }
}
