import Foundation
// A helper process for FstabTests: writes an fstab through FstabStore until it is killed.
//
//   fstab-torture-writer cycle FSTAB VERSION_A VERSION_B
//       Forever: replace FSTAB with the contents of VERSION_A, then VERSION_B, then A again, …
//       (each through FstabStore.update, so with lock, findmnt check, backup and atomic rename).
//       The test kills it with SIGKILL at random moments and checks FSTAB is always exactly A or B.
//   fstab-torture-writer add FSTAB PREFIX COUNT
//       Upserts COUNT entries mounting at PREFIX-0 … PREFIX-(COUNT-1), one update each, then exits 0.
import Fstab

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("fstab-torture-writer: \(message)\n".utf8))
    exit(1)
}

func contents(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self)
    else {
        fail("cannot read \(path)")
    }
    return text
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "cycle" where arguments.count == 4:
        let store = FstabStore(path: arguments[1])
        let versions = [FstabFile(parsing: contents(arguments[2])), FstabFile(parsing: contents(arguments[3]))]
        var next = 0
        // Tells the test the writer is past its startup (which takes seconds on a loaded machine),
        // so its kills land among the writes.
        FileHandle.standardOutput.write(Data("started\n".utf8))
        var written = 0
        while true {
            try store.update { $0 = versions[next] }
            next = 1 - next
            written += 1
            if written <= 2 { FileHandle.standardOutput.write(Data("wrote \(written)\n".utf8)) }
        }
    case "add" where arguments.count == 4:
        guard let count = Int(arguments[3]) else { fail("COUNT must be a number") }
        let store = FstabStore(path: arguments[1])
        for index in 0..<count {
            let entry = FstabEntry(
                spec: "UUID=00000000-0000-0000-0000-\(String(index, radix: 10))",
                mountPoint: "\(arguments[2])-\(index)", type: "xfs", options: ["defaults", "nofail"])
            try store.update { $0.upsert(entry) }
        }
    default:
        fail("usage: fstab-torture-writer cycle FSTAB VERSION_A VERSION_B | add FSTAB PREFIX COUNT")
    }
} catch {
    fail("\(error)")
}
