import BrickctlTestSupport
import Testing
import VolumePlugin

@Suite(.offCooperativePool) struct VolumeOptionsTests {
    func make(_ options: [String: String], name: String = "wp", defaultVolume: String? = "gv0") throws(PluginError)
        -> PluginVolume
    {
        try VolumeOptions.volume(name: name, options: options, defaultGlusterVolume: defaultVolume, host: "n1")
    }

    @Test func wordPressOptions() throws {
        let volume = try make(["uid": "33", "gid": "33", "mode": "0750"])
        #expect(volume.kind == .shared && volume.glusterVolume == "gv0")
        #expect(volume.uid == 33 && volume.gid == 33 && volume.mode == 0o750)
        #expect(volume.glusterDirectory == "/brickctl/volumes/wp")
        #expect(volume.glusterMarker == "/brickctl/markers/wp.json")
        #expect(!volume.deleteOnRemove)
    }

    @Test func localVolumeAndOtherGlusterVolume() throws {
        #expect(try make(["type": "local"]).kind == .local)
        #expect(try make(["type": "local"]).glusterVolume == nil)
        #expect(try make(["volume": "gv1"]).glusterVolume == "gv1")
        #expect(try make(["on-remove": "delete"]).deleteOnRemove)
        #expect(try make(["size": "10G"]).size == "10GB")
        #expect(try make(["size": "500MiB"]).size == "500MB")
    }

    @Test(arguments: [
        (["uid": "-1"], "give a numeric id"),
        (["uid": "www-data"], "give a numeric id"),
        (["mode": "999"], "octal permission bits"),
        (["mode": "17777"], "octal permission bits"),
        (["type": "nfs"], "type=shared"),
        (["size": "lots"], "a size like 10G"),
        (["type": "local", "size": "1G"], "only shared volumes"),
        (["type": "local", "volume": "gv0"], "is for shared volumes"),
        (["volume": "../x"], "letters, digits"),
        (["on-remove": "maybe"], "keep"),
        (["colour": "red"], "unknown option \"colour\""),
    ])
    func badOptionsAreRefusedWithTheFix(options: [String: String], message: String) {
        #expect(throws: PluginError.self) { try make(options) }
        do {
            _ = try make(options)
        } catch {
            #expect(error.code == .badOption)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func noDefaultVolumeSaysWhatToPass() {
        do {
            _ = try make([:], defaultVolume: nil)
            Issue.record("accepted a shared volume with no Gluster volume")
        } catch {
            #expect(error.message.contains("-o volume=NAME"))
        }
    }

    @Test(arguments: [
        "", ".", "..", "a/b", "/etc", "x\0y", ".hidden", "-flag", String(repeating: "n", count: 256), "tab\there", "é",
    ])
    func badNamesAreRefused(name: String) {
        #expect(throws: PluginError.self) { try VolumeName.validate(name) }
    }

    @Test(arguments: ["wp", "wp-content", "db_1", "a.b", "A9", String(repeating: "n", count: 255)])
    func goodNamesPass(name: String) throws {
        try VolumeName.validate(name)
    }
}
