import BrickctlTestSupport
import Foundation
import Testing

@testable import GlusterTLS

@Suite(.offCooperativePool) struct TLSBundleTests {
    static let ca = try! PoolCA.make(name: "test pool CA")

    @Test func anIssuedBundleRoundTripsAndIsForItsHost() throws {
        let bundle = try Self.ca.issue(host: "n1")
        let text = try bundle.pem()
        #expect(text.components(separatedBy: "-----BEGIN ").count - 1 == 3)
        let parsed = try TLSBundle(parsing: text, for: "n1")
        #expect(parsed.host == "n1")
        #expect(parsed.certificate == bundle.certificate)
        #expect(parsed.authorities == [Self.ca.certificate])
        #expect(parsed.certificate.issuer == Self.ca.certificate.subject)
        let files = try parsed.glusterFiles()
        #expect(
            files.certificate.hasPrefix("-----BEGIN CERTIFICATE-----")
                && files.ca.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(files.key.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test func aBundleForAnotherHostIsRefusedUnlessAskedFor() throws {
        let text = try Self.ca.issue(host: "n2").pem()
        #expect(throws: TLSError.self) { try TLSBundle(parsing: text, for: "n1") }
        do {
            _ = try TLSBundle(parsing: text, for: "n1")
        } catch {
            #expect(error.code == .wrongHost && error.remedy == .knownAs("n2") && !error.message.contains("--"))
        }
        #expect(try TLSBundle(parsing: text, for: "N2").host == "n2")
        #expect(try TLSBundle(parsing: text, for: nil).host == "n2")
    }

    func code(_ text: String, for host: String? = "n1", now: Date = Date()) -> TLSError.Code? {
        do {
            _ = try TLSBundle(parsing: text, for: host, now: now)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func corruptAndIncompleteBundlesAreRefused() throws {
        let bundle = try Self.ca.issue(host: "n1")
        let files = try bundle.glusterFiles()
        #expect(code("") == .corruptBundle)
        #expect(code("hello\n") == .corruptBundle)
        var broken = try bundle.pem()
        let middle = broken.index(broken.startIndex, offsetBy: broken.count / 2)
        broken.replaceSubrange(middle...broken.index(middle, offsetBy: 5), with: "!!!!!!")
        #expect(code(broken) == .corruptBundle)
        #expect(code(files.certificate + files.ca) == .noPrivateKey)
        #expect(code(files.key + files.ca) == .noCertificate)
        #expect(code(files.key + files.certificate) == .missingCA)
        // A key from another bundle.
        let other = try Self.ca.issue(host: "n1").glusterFiles()
        #expect(code(other.key + files.certificate + files.ca) == .keyDoesNotMatch)
        // Another CA's certificate.
        let stranger = try PoolCA.make(name: "test pool CA")
        #expect(
            code(files.key + files.certificate + (try stranger.issue(host: "x").glusterFiles().ca)) == .notSignedByCA)
        // Expired.
        #expect(code(try bundle.pem(), now: Date().addingTimeInterval(3 * 365 * 86_400)) == .expired)
    }

    @Test func hostNamesAreChecked() {
        #expect(throws: TLSError.self) { try Self.ca.issue(host: "bad name") }
        #expect(throws: TLSError.self) { try Self.ca.issue(host: "-n1") }
        #expect(TLSBundle.isHostName("n1.example.org") && TLSBundle.isHostName("client-7"))
    }

    @Test func statusRowsShowSubjectIssuerAndExpiryNeverAKey() throws {
        let bundle = try Self.ca.issue(
            host: "n3", now: Date(timeIntervalSince1970: 1_800_000_000), validity: 30 * 86_400)
        let files = try bundle.glusterFiles()
        let rows = try TLSStatusRow.rows(
            file: "/etc/ssl/glusterfs.pem", pem: files.certificate, now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(rows.count == 1)
        #expect(rows[0].subject == "O=brickctl,CN=n3" || rows[0].subject.contains("CN=n3"))
        #expect(rows[0].issuer.contains("CN=test pool CA"))
        #expect(rows[0].expires == "2027-02-14")
        #expect(rows[0].daysLeft == 30 && !rows[0].expired)
        let data = try JSONEncoder().encode(rows)
        #expect(!String(decoding: data, as: UTF8.self).contains("PRIVATE"))
        #expect(throws: TLSError.self) {
            try TLSStatusRow.rows(file: "x", pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        }
    }

    @Test func installWritesThreeFilesKeyPrivateAndNothingOnABadBundle() throws {
        let dir = NSTemporaryDirectory() + "tls-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = GlusterSSLFiles(directory: dir)
        try files.install(try Self.ca.issue(host: "n1"))
        #expect(files.isInstalled)
        let mode = try FileManager.default.attributesOfItem(atPath: files.keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(
            try String(contentsOfFile: files.caPath, encoding: .utf8)
                == (try Self.ca.certificate.serializeAsPEM().pemString + "\n"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [
                "glusterfs.ca", "glusterfs.key", "glusterfs.pem",
            ])
        let rows = try files.status()
        #expect(rows.map(\.file) == [files.certificatePath, files.caPath])
    }

    @Test func theCAStoreKeepsTheKeyPrivateAndRecordsIssuedNames() throws {
        let dir = NSTemporaryDirectory() + "ca-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = CAStore(directory: dir)
        #expect(throws: TLSError.self) { try store.load() }
        try store.create(Self.ca)
        #expect(throws: TLSError.self) { try store.create(Self.ca) }
        #expect(try FileManager.default.attributesOfItem(atPath: store.keyPath)[.posixPermissions] as? Int == 0o600)
        let loaded = try store.load()
        #expect(loaded.certificate == Self.ca.certificate)
        for host in ["n2", "n1", "client1"] { try store.record(try loaded.issue(host: host)) }
        #expect(store.issuedNames() == ["client1", "n1", "n2"])
        let bundlePath = "\(dir)/b.pem"
        try CAStore.writeBundle(try loaded.issue(host: "n1"), to: bundlePath)
        #expect(try FileManager.default.attributesOfItem(atPath: bundlePath)[.posixPermissions] as? Int == 0o600)
    }
}
