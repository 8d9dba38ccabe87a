import BrickctlTestSupport
import Foundation
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct RefusalWatchTests {
    /// gfapi's log while two connects run: only the watched volume's client lines count, and only
    /// those written after the connect began.
    @Test func seesOnlyThisVolumesRefusalAfterTheOffset() throws {
        let path = NSTemporaryDirectory() + "refusal-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let old =
            "[2026-11-29 05:00:00.1 +0000] E [MSGID: 114044] [client-handshake.c:1138:client_setvolume_cbk] 0-gv-client-0: SETVOLUME on remote-host failed [{remote-error=Authentication failed}, {errno=13}, {error=Permission denied}]\n"
        try old.write(toFile: path, atomically: true, encoding: .utf8)
        let offset = RefusalWatch.size(of: path)
        #expect(offset == old.utf8.count)
        #expect(!RefusalWatch.refused(volume: "gv", log: path, from: offset), "a refusal before the connect began")
        #expect(RefusalWatch.refused(volume: "gv", log: path, from: 0))

        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(old.replacingOccurrences(of: "0-gv-client-0", with: "0-other-client-1").utf8))
        #expect(!RefusalWatch.refused(volume: "gv", log: path, from: offset), "another volume's refusal")
        handle.write(
            Data(
                "[2026-11-29 05:00:01.2 +0000] I [MSGID: 114057] 0-gv-client-2: Using Program [{Program-name=GlusterFS 4.x v1}]\n"
                    .utf8))
        #expect(!RefusalWatch.refused(volume: "gv", log: path, from: offset))
        handle.write(Data(old.replacingOccurrences(of: "0-gv-client-0", with: "0-gv-client-2").utf8))
        try handle.close()
        #expect(RefusalWatch.refused(volume: "gv", log: path, from: offset))
        #expect(!RefusalWatch.refused(volume: "gv", log: path + ".missing", from: 0))
    }
}
