import BrickctlTestSupport
import Foundation
import Fstab
import HostIO
import Testing

/// FstabStore on scratch files: what ends up on disk, and what does not.
@Suite(.offCooperativePool) struct FstabStoreTests {
    static let initial =
        "# /etc/fstab\r\nUUID=1a2b /  ext4  errors=remount-ro 0 1\n\n/dev/vdz9 /srv/old xfs defaults 0 0 # keep me\n"

    @Test func defaultPathComesFromTheEnvironment() {
        #expect(FstabStore.defaultPath(environment: [:]) == "/etc/fstab")
        #expect(FstabStore.defaultPath(environment: ["BRICKCTL_FSTAB": ""]) == "/etc/fstab")
        #expect(FstabStore.defaultPath(environment: ["BRICKCTL_FSTAB": "/tmp/x/fstab"]) == "/tmp/x/fstab")
        #expect(FstabStore(path: "/tmp/x/fstab").lockPath == "/tmp/x/fstab.brickctl.lock")
        #expect(FstabStore(path: "/tmp/x/fstab").backupPath == "/tmp/x/fstab.brickctl.bak")
    }

    @Test func aMissingFileReadsAsEmptyAndIsCreatedByUpdate() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            #expect(try store.read().lines.isEmpty)
            let change = try store.update { $0.upsert(brick) }
            #expect(change.isChanged)
            #expect(Disk.bytes(store.path) == bytes(brick.line() + "\n"))
            #expect(Disk.bytes(store.backupPath) == [])
            #expect(Disk.mode(store.path) == 0o644)
            #expect(
                change.problems.contains { $0.target == brick.mountPoint && $0.severity == .error },
                "findmnt's complaint about the missing mount point is accepted and handed back")
        }
    }

    @Test func updateReplacesTheFileAndBacksUpThePreviousVersion() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            try Disk.write(Self.initial, to: store.path, mode: 0o600)
            let change = try store.update { $0.upsert(brick) }
            #expect(Disk.bytes(store.path) == bytes(Self.initial + brick.line(separator: " ") + "\n"))
            #expect(Disk.bytes(store.backupPath) == bytes(Self.initial))
            #expect(bytes(change.previous) == bytes(Self.initial))
            #expect(bytes(change.current) == Disk.bytes(store.path))
            #expect(Disk.mode(store.path) == 0o600, "the file keeps its mode")
            #expect(
                Disk.names(in: dir) == ["fstab", "fstab.brickctl.bak", "fstab.brickctl.lock"], "no temp files left")
        }
    }

    @Test func anUpdateThatChangesNothingWritesNothing() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            try Disk.write(Self.initial + brick.line() + "\n", to: store.path)
            Disk.age(store.path)
            let mtime = try #require(Disk.mtime(store.path))
            let change = try store.update { file in
                file.upsert(brick)
                file.remove(mountPoint: "/srv/not-there")
            }
            #expect(!change.isChanged)
            #expect(Disk.bytes(store.path) == bytes(Self.initial + brick.line() + "\n"))
            #expect(Disk.mtime(store.path) == mtime)
            #expect(Disk.bytes(store.backupPath) == nil, "no backup either")
        }
    }

    @Test func findmntRejectingTheNewFileLeavesItUntouched() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            try Disk.write(Self.initial, to: store.path)
            Disk.age(store.path)
            let mtime = Disk.mtime(store.path)
            // libmount refuses a comment right after the options field, and a dump field that is not a number.
            #expect {
                try store.update { $0.addLine("/dev/vdz1 /srv/bad xfs defaults # brick b1") }
            } throws: { error in
                guard case FstabError.verificationFailed(let path, let reason) = error else { return false }
                return path == store.path && reason.contains("line 5")
                    && "\(error)".contains("the file was not changed")
            }
            #expect(throws: FstabError.self) { try store.update { $0.addLine("/dev/vdz1 /srv/bad xfs defaults 1x 0") } }
            #expect(Disk.bytes(store.path) == bytes(Self.initial))
            #expect(Disk.mtime(store.path) == mtime)
            #expect(Disk.names(in: dir) == ["fstab", "fstab.brickctl.lock"], "no backup, no temp file")
        }
    }

    @Test func aBrokenLineAlreadyInTheFileDoesNotBlockEdits() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            let broken = "this line was broken before brickctl came\n" + Self.initial
            try Disk.write(broken, to: store.path)
            try store.update { $0.upsert(brick) }
            #expect(Disk.bytes(store.path) == bytes(broken + brick.line(separator: " ") + "\n"))
        }
    }

    @Test func anEntryThatCannotBeWrittenIsRefusedBeforeFindmnt() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            try Disk.write(Self.initial, to: store.path)
            let empty = FstabEntry(spec: "UUID=1", mountPoint: "/srv/b", type: "")
            #expect(
                throws: FstabError.unwritableEntry(
                    path: store.path, entry: "UUID=1 /srv/b  defaults 0 0", problem: "its filesystem type is empty")
            ) {
                try store.update { $0.upsert(empty) }
            }
            #expect(Disk.bytes(store.path) == bytes(Self.initial))
        }
    }

    @Test func aFileThatIsNotUTF8IsNotRewritten() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            let latin1: [UInt8] = Array("/dev/vdb1 /srv/caf".utf8) + [0xE9] + Array(" xfs defaults 0 0\n".utf8)
            try Data(latin1).write(to: URL(fileURLWithPath: store.path))
            #expect(throws: FstabError.notUTF8(path: store.path)) { try store.update { $0.upsert(brick) } }
            #expect(Disk.bytes(store.path) == latin1)
        }
    }

    @Test func restorePutsThePreviousVersionBack() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            try Disk.write(Self.initial, to: store.path)
            let change = try store.update { $0.upsert(brick) }
            try store.restore(change)
            #expect(Disk.bytes(store.path) == bytes(Self.initial))
            try store.restore(change)  // already restored: nothing to do
            #expect(Disk.bytes(store.path) == bytes(Self.initial))
        }
    }

    @Test func restoreRefusesToUndoSomeoneElsesLaterEdit() throws {
        try ScratchDirectory.with { dir in
            let store = FstabStore(path: "\(dir)/fstab")
            try Disk.write(Self.initial, to: store.path)
            let change = try store.update { $0.upsert(brick) }
            let other = FstabEntry(spec: "/dev/vdz2", mountPoint: "/srv/other", type: "xfs")
            try store.update { $0.upsert(other) }
            let expected = Disk.bytes(store.path)
            #expect {
                try store.restore(change)
            } throws: { error in
                guard case FstabError.changedSinceUpdate(_, let lines) = error else { return false }
                return lines == [brick.line(separator: " ")]
            }
            #expect(Disk.bytes(store.path) == expected)
        }
    }

    @Test func concurrentUpdatesFromThreadsLoseNoEntry() throws {
        try ScratchDirectory.with { dir in
            let path = "\(dir)/fstab"
            try Disk.write(Self.initial, to: path)
            let threads = 8
            let perThread = 5
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                let store = FstabStore(path: path)
                for index in 0..<perThread {
                    let entry = FstabEntry(
                        spec: "/dev/vdz\(thread)", mountPoint: "/srv/t\(thread)-\(index)", type: "xfs")
                    do { try store.update { $0.upsert(entry) } } catch { failures.add("\(error)") }
                }
            }
            #expect(failures.all.isEmpty)
            let file = try FstabStore(path: path).read()
            #expect(file.entries.count == 2 + threads * perThread)
            #expect(file.text.utf8.starts(with: Self.initial.utf8))
        }
    }

    @Test func concurrentUpdatesFromProcessesLoseNoEntry() throws {
        try ScratchDirectory.with { dir in
            let path = "\(dir)/fstab"
            try Disk.write(Self.initial, to: path)
            let writers = try (0..<4).map { try TortureWriter.start(["add", path, "/srv/p\($0)", "10"]) }
            for writer in writers {
                let output = writer.collectOutput(until: monotonicSeconds() + 60)
                let status = try writer.wait(timeout: 10)
                #expect(status == 0, "\(String(decoding: output.stderr, as: UTF8.self))")
            }
            let file = try FstabStore(path: path).read()
            for writer in 0..<4 {
                for index in 0..<10 {
                    #expect(file.entry(forMountPoint: "/srv/p\(writer)-\(index)") != nil)
                }
            }
            #expect(file.entries.count == 2 + 40)
        }
    }
}

/// Error messages collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []

    func add(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        messages.append(message)
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}
