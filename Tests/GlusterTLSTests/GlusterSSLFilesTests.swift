import BrickctlTestSupport
import Foundation
import Testing

@testable import GlusterTLS

@Suite(.offCooperativePool) struct GlusterSSLFilesTests {
    /// `install` writes the three files, and links them where management TLS reads; a wrong link
    /// or a stale file there is replaced, a right one left alone.
    @Test func installLinksTheFilesForManagement() throws {
        let root = NSTemporaryDirectory() + "ssl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/lib", withIntermediateDirectories: true)
        try "stale".write(toFile: "\(root)/lib/glusterfs.pem", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: "\(root)/lib/glusterfs.ca", withDestinationPath: "/nowhere")
        let files = GlusterSSLFiles(directory: "\(root)/etc", managementDirectory: "\(root)/lib")
        #expect(!files.isInstalledForManagement)
        let ca = try PoolCA.make(name: "test CA")
        try files.install(try ca.issue(host: "n1"))
        #expect(files.isInstalled && files.isInstalledForManagement)
        for name in ["glusterfs.pem", "glusterfs.key", "glusterfs.ca"] {
            #expect(
                try FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/lib/\(name)")
                    == "\(root)/etc/\(name)")
            #expect(
                try String(contentsOfFile: "\(root)/lib/\(name)", encoding: .utf8)
                    == String(contentsOfFile: "\(root)/etc/\(name)", encoding: .utf8))
        }
        #expect(
            try FileManager.default.attributesOfItem(atPath: "\(root)/etc/glusterfs.key")[.posixPermissions] as? Int
                == 0o600)
        #expect(GlusterSSLFiles(directory: "\(root)/etc", managementDirectory: "\(root)/etc").managementLinks.isEmpty)
        #expect(GlusterSSLFiles(directory: "\(root)/etc", managementDirectory: nil).managementLinks.isEmpty)
    }

    /// Debian's glusterfs reads management TLS files from OpenSSL's directory (measured).
    @Test func findsTheCompiledInDirectory() throws {
        let directory = GlusterSSLFiles.compiledInDirectory()
        if FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/glusterfs") {
            #expect(directory == "/usr/lib/ssl")
        } else {
            #expect(directory == nil)
        }
    }
}
