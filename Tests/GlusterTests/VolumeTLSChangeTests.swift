import BrickctlTestSupport
import Testing

@testable import Gluster

/// The order of the TLS options and what undoes a change that failed half-way (pure).
@Suite(.offCooperativePool) struct VolumeTLSChangeTests {
    let enable = VolumeTLSChange.enable(
        certificate: "/etc/ssl/glusterfs.pem", key: "/etc/ssl/glusterfs.key", ca: "/etc/ssl/glusterfs.ca",
        allowed: ["n1", "n2"])

    @Test func enableNamesTheFilesAndNamesBeforeTurningTLSOn() {
        #expect(
            enable.steps.map(\.description) == [
                "ssl.own-cert /etc/ssl/glusterfs.pem", "ssl.private-key /etc/ssl/glusterfs.key",
                "ssl.ca-list /etc/ssl/glusterfs.ca", "auth.ssl-allow n1,n2", "client.ssl on", "server.ssl on",
            ])
        #expect(
            VolumeTLSChange.disable.steps.map(\.description) == [
                "client.ssl off", "server.ssl off", "reset auth.ssl-allow", "reset ssl.own-cert",
                "reset ssl.private-key", "reset ssl.ca-list",
            ])
    }

    @Test func undoPutsBackSetOptionsAndResetsTheOthersLastFirst() {
        // The volume had its own CA list and TLS explicitly off; client.ssl on failed (step 5).
        let previous = [
            VolumeInfo.Option(key: "ssl.ca-list", value: "/etc/ssl/old.ca"),
            VolumeInfo.Option(key: "client.ssl", value: "off"),
            VolumeInfo.Option(key: "performance.readdir-ahead", value: "on"),
        ]
        #expect(
            enable.undo(applied: 4, previous: previous) == [
                .reset(key: "auth.ssl-allow"), .set(key: "ssl.ca-list", value: "/etc/ssl/old.ca"),
                .reset(key: "ssl.private-key"), .reset(key: "ssl.own-cert"),
            ])
        #expect(enable.undo(applied: 0, previous: previous).isEmpty)
    }

    @Test func undoOfDisableTurnsTLSBackOn() {
        let previous = [
            VolumeInfo.Option(key: "client.ssl", value: "on"), VolumeInfo.Option(key: "server.ssl", value: "on"),
            VolumeInfo.Option(key: "auth.ssl-allow", value: "n1,n2,n3"),
        ]
        #expect(
            VolumeTLSChange.disable.undo(applied: 3, previous: previous) == [
                .set(key: "auth.ssl-allow", value: "n1,n2,n3"), .set(key: "server.ssl", value: "on"),
                .set(key: "client.ssl", value: "on"),
            ])
    }
}
