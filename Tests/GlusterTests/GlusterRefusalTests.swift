import BrickctlTestSupport
import Testing

@testable import Gluster

@Suite(.offCooperativePool) struct GlusterRefusalTests {
    @Test func rootFilesystemNamesThePrepareFix() {
        let r = GlusterRefusal.interpret(
            "The brick 10.0.0.2:/data/glusterfs/brick1/gv0 is being created in the root partition. It is recommended that you don't use the system's root partition for storage backend. Or use 'force' at the end of the command if you want to override this behavior.",
            subject: "gv0")
        #expect(r.kind == .brickOnRootFilesystem)
        #expect(r.message == "10.0.0.2:/data/glusterfs/brick1/gv0 is on the root filesystem")
        #expect(r.remedy == .prepareDisk(host: "10.0.0.2"))
    }

    @Test func oldBrickNamesTheResetFix() {
        let r = GlusterRefusal.interpret(
            "n2:/data/glusterfs/brick1/brick/gv0 is already part of a volume", subject: "gv0")
        #expect(r.kind == .brickAlreadyUsed)
        #expect(r.remedy == .resetBrick(path: "/data/glusterfs/brick1/brick/gv0", parentDirectory: false))
    }

    @Test(arguments: [
        ("Host n4 is not in 'Peer in Cluster' state", GlusterRefusal.Kind.hostNotInPool),
        ("Volume gv0 already exists", .volumeExists),
        ("Volume gv9 does not exist", .noSuchVolume),
        ("Volume gv0 has been started.Volume needs to be stopped before deletion.", .volumeStarted),
        ("Volume gv0 is not in the started state", .volumeNotStarted),
        ("Another transaction is in progress for gv0. Please try again after some time.", .busy),
        ("Connection failed. Please check if gluster daemon is operational.", .glusterdDown),
        ("Probe returned with Transport endpoint is not connected", .peerUnreachable),
        ("Peer uuid (host n2) is same as local uuid", .peerSameUUID),
        (
            "The brick n1:/data/glusterfs/brick1 is a mount point. Please create a sub-directory under the mount point and use that as the brick directory.",
            .brickIsMountPoint
        ),
        (
            "Multiple bricks of a replicate volume are present on the same server. This setup is not optimal.",
            .bricksOnSameHost
        ),
        ("something new", .other),
    ])
    func kinds(text: String, kind: GlusterRefusal.Kind) {
        let r = GlusterRefusal.interpret(text, subject: "gv0")
        #expect(r.kind == kind)
        #expect(r.raw == text)
        #expect(!r.message.isEmpty)
        #expect(!r.message.contains("brickctl ") && !r.message.contains("--"), "the domain names no command")
    }

    @Test func hostNotInPoolNamesTheProbe() {
        let r = GlusterRefusal.interpret("Host n4 is not in 'Peer in Cluster' state")
        #expect(r.message == "n4 is not in the pool")
        #expect(r.remedy == .probePeer(host: "n4"))
    }
}

/// The exact texts glusterd 10.3 answered on the lab (see Fixtures/fail-*.xml).
extension GlusterRefusalTests {
    @Test func realRootPartitionText() {
        let r = GlusterRefusal.interpret(
            "The brick n1:/var/tmp/gvr is being created in the root partition. It is recommended that you don't use the system's root partition for storage backend. Or use 'force' at the end of the command if you want to override this behavior.",
            subject: "gvr")
        #expect(r.kind == .brickOnRootFilesystem)
        #expect(r.message.hasPrefix("n1:/var/tmp/gvr is on the root filesystem"))
        #expect(r.remedy == .prepareDisk(host: "n1"))
    }

    @Test func realMountPointText() {
        let r = GlusterRefusal.interpret(
            "The brick n1:/data/glusterfs/brick1 is a mount point. Please create a sub-directory under the mount point and use that as the brick directory. Or use 'force' at the end of the command if you want to override this behavior.",
            subject: "gvm")
        #expect(r.kind == .brickIsMountPoint)
        #expect(
            r.message
                == "n1:/data/glusterfs/brick1 is itself a mount point: use a directory inside it, such as n1:/data/glusterfs/brick1/brick/gvm"
        )
    }

    @Test func realAlreadyPartOfAVolumeHasNoHost() {
        let r = GlusterRefusal.interpret("/data/glusterfs/brick1/brick/gv0 is already part of a volume", subject: "gv1")
        #expect(r.kind == .brickAlreadyUsed)
        #expect(
            r.message.hasPrefix(
                "/data/glusterfs/brick1/brick/gv0 was part of a volume before, or of a `volume create` that failed"))
        #expect(r.remedy == .resetBrick(path: "/data/glusterfs/brick1/brick/gv0", parentDirectory: false))
    }

    @Test func realParentDirectoryText() {
        let r = GlusterRefusal.interpret(
            "parent directory /data/glusterfs/brick1/brick is already part of a volume", subject: "gq2")
        #expect(r.kind == .brickAlreadyUsed)
        #expect(
            r.message.hasPrefix("/data/glusterfs/brick1/brick, a parent directory of the new brick, was itself a brick")
        )
        #expect(r.remedy == .resetBrick(path: "/data/glusterfs/brick1/brick", parentDirectory: true))
    }

    @Test func realOverlapText() {
        let r = GlusterRefusal.interpret(
            "Brick: n1:/data/glusterfs/brick1/brick/gvn not available. Brick may be containing or be contained by an existing brick.",
            subject: "gvn")
        #expect(r.kind == .brickOverlaps)
        #expect(
            r.message.hasPrefix(
                "n1:/data/glusterfs/brick1/brick/gvn is inside, or contains, a brick of an existing volume"))
    }

    @Test func aPeerNotYetConnectedToAnotherIsItsOwnKind() {
        let r = GlusterRefusal.interpret("Staging failed on n3. Error: Host n4 not connected", subject: "gvstack")
        #expect(r.kind == .peersNotConnected)
        #expect(r.message.hasPrefix("glusterd on n3 is not connected to n4: "))
    }

    @Test func realHostNotConnectedNamesTheHostNotTheVolume() {
        let r = GlusterRefusal.interpret("Host n2 not connected", subject: "gvz")
        #expect(r.kind == .peerUnreachable)
        #expect(r.message.hasPrefix("glusterd on n2 is not connected to this host"))
    }

    @Test func realDetachTexts() {
        let gone = GlusterRefusal.interpret("n3 is not part of cluster", subject: "n3")
        #expect(gone.kind == .hostNotInPool)
        #expect(gone.message == "n3 is not in the pool" && gone.remedy == .probePeer(host: "n3"))
        let inUse = GlusterRefusal.interpret(
            "Peer n2 hosts one or more bricks. If the peer is in not recoverable state then use either replace-brick or remove-brick command with force to remove all bricks from the peer and attempt the peer detach again.",
            subject: "n2")
        #expect(inUse.kind == .peerInUse)
        #expect(inUse.message == "n2 still hosts bricks of a volume: remove or replace them before detaching it")
    }

    @Test func realUnknownOptionIsNotAMissingVolume() {
        let r = GlusterRefusal.interpret(
            "option : no.such-option does not exist\nDid you mean nfs.drc-size or ...rpc-statd?", subject: "gv0")
        #expect(r.kind == .unknownOption)
        #expect(
            r.message
                == "gluster has no option no.such-option (Did you mean nfs.drc-size or ...rpc-statd?): see `gluster volume set help` for the option names"
        )
    }

    @Test(arguments: [
        ("Volume gv0 already exists", GlusterRefusal.Kind.volumeExists),
        ("Volume gv0 already started", .alreadyStarted),
        ("Volume gv0 is not in the started state", .volumeNotStarted),
        ("Volume gv0 is not started", .volumeNotStarted),
        ("Volume gv0 has been started.Volume needs to be stopped before deletion.", .volumeStarted),
        ("Volume gv0 does not exist", .noSuchVolume),
        ("Volume does not exist", .noSuchVolume),
        ("Host n4 is not in 'Peer in Cluster' state", .hostNotInPool),
        ("Host nosuchhost is not in 'Peer in Cluster' state", .hostNotInPool),
        (
            "Multiple bricks of a replicate volume are present on the same server. This setup is not optimal. Bricks should be on different nodes to have best fault tolerant configuration. Use 'force' at the end of the command if you want to override this behavior. ",
            .bricksOnSameHost
        ),
        ("Probe returned with Transport endpoint is not connected", .peerUnreachable),
        ("Another transaction is in progress for gv0. Please try again after some time.", .busy),
        ("Another transaction is in progress. Please try again after some time.", .busy),
        ("gv0: Not able to fetch volfile from glusterd", .healUnavailable),
        ("Connection failed. Please check if gluster daemon is operational.", .glusterdDown),
        ("Error : Request timed out", .timedOut),
        ("Commit failed on localhost. Please check log file for details.", .commitFailed),
        (
            "Staging failed on n2. Error: Self-heal daemon is not running. Check self-heal daemon log file.",
            .selfHealNotReady
        ),
    ])
    func realTexts(text: String, kind: GlusterRefusal.Kind) {
        #expect(GlusterRefusal.interpret(text, subject: "gv0").kind == kind)
    }

    @Test func aCommitFailureNamesTheHostAndIsOnlyTheFallback() {
        let failed = GlusterRefusal.interpret(
            "Commit failed on localhost. Please check log file for details.", subject: "gv0")
        #expect(failed.kind == .commitFailed)
        #expect(failed.message.hasPrefix("glusterd on localhost could not carry out the change on gv0"))
        #expect(failed.remedy == .checkVolumeStatus(volume: "gv0"))
        // glusterd's reason, when it gives one, wins over the commit failure around it.
        #expect(GlusterRefusal.interpret("Commit failed on n2. Error: Volume gv0 does not exist").kind == .noSuchVolume)
    }
}
