import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct DirectoryQuotaTests {
    @Test func decodesEveryLimitWithItsUse() throws {
        let quotas = try DirectoryQuota.list(from: Fixture.envelope("quota-list"))
        #expect(
            quotas == [
                DirectoryQuota(path: "/volumes/other", limitBytes: 104_857_600, usedBytes: 0),
                DirectoryQuota(path: "/volumes/wp_uploads", limitBytes: 10_485_760, usedBytes: 9_437_184),
            ])
    }

    @Test func anAnswerWithoutQuotasIsAnError() throws {
        #expect(throws: GlusterXMLError.self) { try DirectoryQuota.list(from: Fixture.envelope("volume-info-none")) }
    }
}
