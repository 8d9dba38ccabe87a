import BrickctlTestSupport
import Foundation
import Testing

@testable import VolumePlugin

/// `PluginState.restored`: what a plugin restarted after `kill -9` (or a reboot) starts from.
@Suite(.offCooperativePool) struct PluginStateRestoreTests {
    func state(boot: String, volumes: [String], mounted: [String] = []) -> PluginState {
        var state = PluginState()
        state.bootID = boot
        for name in volumes {
            state.volumes[name] = PluginVolume(
                name: name, backing: .local, createdAt: Date(timeIntervalSince1970: 0))
        }
        for name in mounted { state.recordMount(name, id: "m1") }
        return state
    }

    @Test func mountsAnsweredAfterARebootSurviveAKill() {
        // The state file was last written in the previous boot (no volume changed since); the
        // references file was written by a Mount in this boot. Comparing the references with the
        // state file's boot (instead of the running one) lost every Mount answered since.
        let stateFile = state(boot: "old", volumes: ["db"])
        let references = state(boot: "new", volumes: ["db"], mounted: ["db"]).referencesJSON()
        let restored = PluginState.restored(saved: stateFile, references: references, boot: "new")
        #expect(restored.state.references.count(of: "db") == 1)
        #expect(restored.state.bootID == "new")
        #expect(restored.note == nil)
    }

    @Test func referencesOfAnotherBootAreDropped() {
        let stateFile = state(boot: "old", volumes: ["db"], mounted: ["db"])
        let references = stateFile.referencesJSON()
        let restored = PluginState.restored(saved: stateFile, references: references, boot: "new")
        #expect(restored.state.references.holders.isEmpty)
        #expect(restored.state.volumes.keys.sorted() == ["db"])
        let noFile = PluginState.restored(saved: stateFile, references: nil, boot: "new")
        #expect(noFile.state.references.holders.isEmpty)
    }

    @Test func aStateFileAloneGivesItsReferencesOfThisBoot() {
        let stateFile = state(boot: "b", volumes: ["db"], mounted: ["db"])
        #expect(
            PluginState.restored(saved: stateFile, references: nil, boot: "b").state.references.count(of: "db") == 1)
    }

    @Test func aDamagedReferencesFileStartsWithNoneAndSaysSo() {
        let stateFile = state(boot: "b", volumes: ["db"], mounted: ["db"])
        let restored = PluginState.restored(saved: stateFile, references: Data(), boot: "b")
        #expect(restored.state.references.holders.isEmpty)
        #expect(restored.note?.contains("references file is unreadable") == true)
        #expect(restored.state.volumes.keys.sorted() == ["db"], "the volumes are kept")
    }

    @Test func referencesToForgottenVolumesAreDropped() {
        // Killed between saving a Remove's state file and its references file.
        let stateFile = state(boot: "b", volumes: ["kept"])
        let references = state(boot: "b", volumes: ["kept", "gone"], mounted: ["kept", "gone"]).referencesJSON()
        let restored = PluginState.restored(saved: stateFile, references: references, boot: "b")
        #expect(restored.state.references.holders.keys.sorted() == ["kept"])
    }

    @Test func aFirstStartHasNothing() {
        let restored = PluginState.restored(saved: nil, references: nil, boot: "b")
        #expect(restored.state.volumes.isEmpty && restored.state.references.holders.isEmpty)
        #expect(restored.state.bootID == "b")
    }
}
