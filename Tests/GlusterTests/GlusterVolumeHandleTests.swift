import BrickctlTestSupport
import Foundation
import HostIO
import Testing

@testable import Gluster

#if canImport(Glibc)
    import Glibc
#endif

/// The pure parts of the gfapi layer, and the connect's failures that need no glusterd.
@Suite(.offCooperativePool) struct GlusterVolumeHandleTests {
    // MARK: Addresses and cache keys

    @Test func addressTrimsAndDeduplicatesServersKeepingOrder() {
        let address = GlusterVolumeAddress(volume: " gvb ", servers: ["n2", " n1", "", "N2", "n3 "])
        #expect(address.volume == "gvb")
        #expect(address.servers == ["n2", "n1", "n3"])
        #expect(address.description == "gvb via n2, n1, n3")
    }

    @Test func cacheKeyIgnoresServerOrderAndCaseButNotVolumePortOrServers() {
        let a = GlusterVolumeAddress(volume: "gvb", servers: ["n1", "n2"]).cacheKey
        #expect(a == GlusterVolumeAddress(volume: "gvb", servers: ["N2", "n1"]).cacheKey)
        #expect(a != GlusterVolumeAddress(volume: "gvc", servers: ["n1", "n2"]).cacheKey)
        #expect(a != GlusterVolumeAddress(volume: "gvb", servers: ["n1"]).cacheKey)
        #expect(a != GlusterVolumeAddress(volume: "gvb", servers: ["n1", "n2"], port: 24008).cacheKey)
        #expect(a != GlusterVolumeAddress(volume: "gvb", servers: ["n1", "n2"], transport: .unix).cacheKey)
    }

    @Test func unusableAddressesAreNamed() {
        #expect(GlusterVolumeAddress(volume: "gvb", servers: ["localhost"]).problem == nil)
        #expect(GlusterVolumeAddress(volume: "", servers: ["n1"]).problem == "no volume name given")
        #expect(GlusterVolumeAddress(volume: "gvb/sub", servers: ["n1"]).problem?.contains("subdirectory") == true)
        #expect(
            GlusterVolumeAddress(volume: "gvb", servers: [" "]).problem?.contains("at least one glusterd host") == true)
        #expect(GlusterVolumeAddress(volume: "gvb", servers: ["n1"], port: 0).problem == "port 0 is not a TCP port")
    }

    // MARK: Errors

    @Test func initErrnosBecomeKindsWithAdvice() {
        let missing = GlusterAPIError.connect(volume: "gvx", servers: ["n1"], port: 24007, errno: ENOENT, logFile: nil)
        #expect(missing.kind == .noSuchVolume)
        #expect(missing.message.contains("there is no volume gvx on n1"))
        #expect(missing.message.contains("gluster volume list"))

        let offline = GlusterAPIError.connect(
            volume: "gvs", servers: ["n1"], port: 24007, errno: EIO, logFile: "/var/log/x.log")
        #expect(offline.kind == .volumeOffline)
        #expect(offline.message.contains("gluster volume start gvs"))
        #expect(offline.message.contains("gluster volume status gvs"))
        #expect(offline.message.hasSuffix("(gfapi's log: /var/log/x.log)"))

        let unreachable = GlusterAPIError.connect(
            volume: "gvb", servers: ["n1", "n2"], port: 24007, errno: ENOTCONN, logFile: nil)
        #expect(unreachable.kind == .serversUnreachable)
        #expect(unreachable.message.contains("n1, n2"))
        #expect(unreachable.message.contains("TCP port 24007"))
        #expect(unreachable.errno == ENOTCONN)
    }

    @Test func aMissingLibgfapiSaysWhatToInstall() {
        let error = GlusterAPIError.libraryMissing(
            volume: "gv0", reason: "libgfapi.so.0: cannot open shared object file: No such file or directory")
        #expect(error.kind == .libraryMissing && error.operation == .connect && error.errno == ELIBACC)
        #expect(error.message.contains("libgfapi.so.0: cannot open shared object file"))
        #expect(error.message.contains("apt-get install glusterfs-common"))
    }

    @Test func timeoutSaysHowLongAndWhatToCheck() {
        let error = GlusterAPIError.timedOut(volume: "gvb", servers: ["n1"], after: .milliseconds(2500), logFile: nil)
        #expect(error.kind == .timedOut)
        #expect(error.message.contains("within 2.5 s"))
        #expect(error.message.contains("gluster volume status gvb"))
        #expect(GlusterAPIError.seconds(.seconds(20)) == "20 s")
        #expect(GlusterAPIError.seconds(.milliseconds(250)) == "250 ms")
    }

    @Test func fileErrnosBecomeKinds() {
        let cases: [(Int32, GlusterAPIError.Kind)] = [
            (ENOENT, .notFound), (EEXIST, .alreadyExists), (ENOTDIR, .notADirectory), (ENOTEMPTY, .notEmpty),
            (EACCES, .permissionDenied), (ENOSPC, .noSpace), (EDQUOT, .noSpace), (EROFS, .disconnected),
            (ENOTCONN, .disconnected), (EIO, .disconnected), (EINVAL, .invalidArgument), (EBADF, .other),
        ]
        for (code, kind) in cases {
            let error = GlusterAPIError(operation: .mkdir, volume: "gvb", path: "/a", errno: code)
            #expect(error.kind == kind, "errno \(code)")
            #expect(error.message.hasPrefix("cannot mkdir /a on volume gvb: "))
            #expect(error.errno == code)
        }
        #expect(GlusterAPIError(operation: .write, volume: "gvb", path: "/f", errno: EROFS).message.contains("quorum"))
    }

    // MARK: mkdir -p

    @Test func parentsOutermostFirst() {
        #expect(GlusterVolumeHandle.parents(of: "/a/b/c") == ["/a", "/a/b"])
        #expect(GlusterVolumeHandle.parents(of: "a//b/") == ["/a"])
        #expect(GlusterVolumeHandle.parents(of: "/a").isEmpty)
        #expect(GlusterVolumeHandle.parents(of: "/").isEmpty)
    }

    // MARK: Connect failures that need no glusterd

    @Test func unusableAddressFailsBeforeAnyCall() async {
        await #expect {
            _ = try await GlusterVolumeHandle.connect(volume: "gvb", servers: [], log: .discard, on: .shared)
        } throws: { ($0 as? GlusterAPIError)?.kind == .invalidArgument }
    }

    @Test func refusedServerFailsAtOnceAndSaysSo() async throws {
        // Nothing listens on 127.0.0.1:1: the connect check answers ECONNREFUSED, glfs_init never runs.
        let clock = ContinuousClock()
        let start = clock.now
        let error = try await #require(throws: GlusterAPIError.self) {
            _ = try await GlusterVolumeHandle.connect(
                volume: "gvb", servers: ["127.0.0.1"], port: 1, log: .discard, timeout: .seconds(5), on: .shared)
        }
        #expect(clock.now - start < .seconds(2))
        #expect(error.kind == .serversUnreachable)
        #expect(error.message.contains("127.0.0.1: connection refused"))
        #expect(error.message.contains("TCP port 1"))
    }
}
