import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct AuthAllowTests {
    @Test func valueIsCommaSeparatedWithoutDuplicates() throws {
        let allow = try AuthAllow(["10.0.0.11", " 10.0.0.12", "10.0.0.11", "10.0.1.*", "10.2.0.0/16", "fe80::1"])
        #expect(allow.value == "10.0.0.11,10.0.0.12,10.0.1.*,10.2.0.0/16,fe80::1")
        #expect(!allow.allowsEveryone)
    }

    @Test func starAnywhereIsEveryone() throws {
        #expect(try AuthAllow(["10.0.0.1", "*"]) == .everyone)
        #expect(AuthAllow(value: "*").allowsEveryone)
        #expect(AuthAllow(value: "").allowsEveryone)
        #expect(AuthAllow.everyone.value == "*")
    }

    @Test func readsGlustersValueAsItIs() {
        let allow = AuthAllow(value: "10.0.0.11, 10.0.0.12,client.example,10.0.0.11")
        #expect(allow.entries == ["10.0.0.11", "10.0.0.12", "client.example"])
    }

    @Test func addingKeepsTheNamesGlusterPutThere() throws {
        // `volume replace-brick` appends the pool hosts' names to a volume's auth.allow (glusterfs
        // 10.3, measured): adding an address must keep them, and still check what is added.
        let current = AuthAllow(value: "10.111.152.11,10.111.152.12,10.111.152.13,n2,n3")
        let wider = try current.adding(["10.111.152.1", "10.111.152.11"])
        #expect(wider.value == "10.111.152.11,10.111.152.12,10.111.152.13,n2,n3,10.111.152.1")
        #expect(throws: AuthAllowError.badAddress("n4")) { try current.adding(["n4"]) }
        #expect(try current.removing(["n3"]).value == "10.111.152.11,10.111.152.12,10.111.152.13,n2")
    }

    @Test func refusesWhatIsNotAnAddress() {
        for bad in ["n4", "10.0.0", "10.0.0.256", "10.0.0.1/33", "10.*.0.0/8", "1.2.3.4.5", "10.0.0.1;rm", ""] {
            #expect(!AuthAllow.isAddressPattern(bad), "\(bad)")
        }
        #expect(throws: AuthAllowError.badAddress("n4")) { try AuthAllow(["10.0.0.1", "n4"]) }
        #expect(throws: AuthAllowError.empty) { try AuthAllow([" "]) }
        for good in ["10.0.0.1", "10.0.*.*", "0.0.0.0/0", "::1", "fe80::1/64", "2001:db8:0:0:0:0:0:1"] {
            #expect(AuthAllow.isAddressPattern(good), "\(good)")
        }
    }

    @Test func addingIsTwiceSafeAndKeepsOrder() throws {
        let start = try AuthAllow(["10.0.0.11", "10.0.0.12"])
        let once = try start.adding(["10.0.0.14"])
        #expect(once.value == "10.0.0.11,10.0.0.12,10.0.0.14")
        #expect(try once.adding(["10.0.0.14"]) == once)
        #expect(try AuthAllow.everyone.adding(["10.0.0.14"]) == .everyone)
    }

    @Test func removingIsTwiceSafeAndNeverLeavesNobody() throws {
        let start = try AuthAllow(["10.0.0.11", "10.0.0.12", "10.0.0.14"])
        let once = try start.removing(["10.0.0.14"])
        #expect(once.value == "10.0.0.11,10.0.0.12")
        #expect(try once.removing(["10.0.0.14"]) == once)
        #expect(throws: AuthAllowError.wouldBeEmpty) { try once.removing(["10.0.0.11", "10.0.0.12"]) }
        #expect(throws: AuthAllowError.cannotNarrowEveryone) { try AuthAllow.everyone.removing(["10.0.0.1"]) }
    }

    @Test func poolListsEveryHostOnceWithoutLoopbackThenTheExtras() throws {
        let (allow, sources) = try AuthAllow.pool(
            [
                ("n1", ["127.0.1.1", "10.0.0.11"]), ("n2", ["10.0.0.12", "fd00::12"]),
                ("n3", ["10.0.0.13", "10.0.0.12"]),
            ],
            plus: [
                AuthAllow.Source(address: "10.0.0.50", origin: "--allow"),
                AuthAllow.Source(address: "10.0.0.11", origin: "--allow"),
            ])
        #expect(allow.value == "10.0.0.11,10.0.0.12,fd00::12,10.0.0.13,10.0.0.50")
        #expect(
            sources.map(\.description) == [
                "10.0.0.11 (n1)", "10.0.0.12 (n2)", "fd00::12 (n2)", "10.0.0.13 (n3)", "10.0.0.50 (--allow)",
            ])
        let open = try AuthAllow.pool(
            [("n1", ["10.0.0.11"])], plus: [AuthAllow.Source(address: "*", origin: "--allow")])
        #expect(open.allow == .everyone && open.sources.map(\.address) == ["*"])
    }

    @Test func getoptsAnswerIsDecoded() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><volGetopts><count>1</count><Opt><Option>auth.allow</Option><Value>10.0.0.11,10.0.0.12</Value></Opt></volGetopts></cliOutput>
            """
        let values = try VolumeOptionValues.list(from: CLIEnvelope(parsing: xml))
        #expect(values.map(\.key) == ["auth.allow"] && values.map(\.value) == ["10.0.0.11,10.0.0.12"])
    }

    @Test func clientLogRefusalIsRecognised() {
        let refused = [
            "0-gv-client-0: SETVOLUME on remote-host failed [{remote-error=Authentication failed}, {errno=13}, {error=Permission denied}]"
        ]
        #expect(AuthRefusal.isRefusal(refused))
        #expect(!AuthRefusal.isRefusal(["0-gv-client-0: connection to 10.0.0.11:49152 failed (Connection refused)"]))
        let refusal = AuthRefusal(volume: "gv", clientAddress: "10.0.0.14")
        #expect(refusal.description == "the bricks refused this host (auth.allow of gv does not list 10.0.0.14)")
    }
}
