import BrickctlTestSupport
import Foundation
import Testing

@testable import VolumePlugin

/// The replies' bytes are Docker's wire format: the same as the plugin always sent.
@Suite(.offCooperativePool) struct PluginReplyTests {
    /// How replies were made before they were values (JSONSerialization of dictionaries).
    static func before(_ object: [String: Any]) -> String {
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    static func text(_ reply: PluginReply) -> String { String(decoding: reply.json, as: UTF8.self) }

    @Test func simpleReplies() {
        #expect(Self.text(.activate) == #"{"Implements":["VolumeDriver"]}"#)
        #expect(Self.text(.capabilities) == #"{"Capabilities":{"Scope":"global"}}"#)
        #expect(Self.text(.ok) == #"{"Err":""}"#)
        #expect(
            Self.text(.mountpoint("/run/p/mounts/gv0/brickctl/volumes/wp"))
                == #"{"Err":"","Mountpoint":"/run/p/mounts/gv0/brickctl/volumes/wp"}"#)
        #expect(Self.text(.volumes([])) == #"{"Err":"","Volumes":[]}"#)
    }

    @Test(arguments: [
        "no volume wp", #"the volume name "a/b" contains / at byte 1: use letters"#, "naïve – ünïcode ✓",
        "tab\tnewline\n\"quoted\" back\\slash \u{1} /path/x", "",
    ])
    func errorsAreWordedAsBefore(_ message: String) {
        let error = PluginError(.badName, message, cause: "under/neath")
        #expect(Self.text(PluginReply(error: error)) == Self.before(["Err": "brickctl: \(error.description)"]))
        struct Other: Error, CustomStringConvertible { var description: String { "other \"thing\"" } }
        #expect(Self.text(PluginReply(error: Other())) == Self.before(["Err": "brickctl: other \"thing\""]))
    }

    @Test func getAndListAsBefore() {
        let shared = PluginVolume(
            name: "wp", backing: .shared(glusterVolume: "gv0", size: "10GB"), uid: 33, gid: 33, createdOn: "n1")
        let status = PluginReply.Status(shared, mounts: 2)
        let get = PluginReply.volume(.init(name: "wp", mountpoint: "/m/gv0/brickctl/volumes/wp", status: status))
        let old: [String: Any] = [
            "type": "shared", "options": shared.optionsText, "mounts": 2, "createdOn": "n1", "glusterVolume": "gv0",
            "directory": "/brickctl/volumes/wp", "size": "10GB",
        ]
        #expect(
            Self.text(get)
                == Self.before([
                    "Volume": ["Name": "wp", "Mountpoint": "/m/gv0/brickctl/volumes/wp", "Status": old]
                        as [String: Any],
                    "Err": "",
                ]))
        let local = PluginVolume(name: "db", backing: .local, createdOn: "n2")
        let localGet = PluginReply.volume(
            .init(name: "db", mountpoint: "", status: PluginReply.Status(local, mounts: 0)))
        let localOld: [String: Any] = ["type": "local", "options": local.optionsText, "mounts": 0, "createdOn": "n2"]
        #expect(
            Self.text(localGet)
                == Self.before([
                    "Volume": ["Name": "db", "Mountpoint": "", "Status": localOld] as [String: Any], "Err": "",
                ]))
        let list = PluginReply.volumes([.init(name: "a", mountpoint: ""), .init(name: "b", mountpoint: "/m/b")])
        #expect(
            Self.text(list)
                == Self.before([
                    "Volumes": [["Name": "a", "Mountpoint": ""], ["Name": "b", "Mountpoint": "/m/b"]], "Err": "",
                ]))
    }
}
