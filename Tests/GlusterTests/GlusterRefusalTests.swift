import Testing

@testable import Gluster

@Suite struct GlusterRefusalTests {
    @Test func rootFilesystemNamesThePrepareFix() {
        let r = GlusterRefusal.interpret(
            "The brick 10.0.0.2:/data/glusterfs/brick1/gv0 is being created in the root partition. It is recommended that you don't use the system's root partition for storage backend. Or use 'force' at the end of the command if you want to override this behavior.",
            subject: "gv0")
        #expect(r.kind == .brickOnRootFilesystem)
        #expect(r.message == "10.0.0.2:/data/glusterfs/brick1/gv0 is on the root filesystem: run `brickctl prepare DEVICE` on 10.0.0.2 first, so the brick is on its own XFS disk (or pass --force to use the root disk anyway)")
    }

    @Test func oldBrickNamesTheResetFix() {
        let r = GlusterRefusal.interpret("n2:/data/glusterfs/brick1/brick/gv0 is already part of a volume", subject: "gv0")
        #expect(r.kind == .brickAlreadyUsed)
        #expect(r.message.contains("brickctl brick reset /data/glusterfs/brick1/brick/gv0"))
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
        ("The brick n1:/data/glusterfs/brick1 is a mount point. Please create a sub-directory under the mount point and use that as the brick directory.", .brickIsMountPoint),
        ("Multiple bricks of a replicate volume are present on the same server. This setup is not optimal.", .bricksOnSameHost),
        ("something new", .other),
    ])
    func kinds(text: String, kind: GlusterRefusal.Kind) {
        let r = GlusterRefusal.interpret(text, subject: "gv0")
        #expect(r.kind == kind)
        #expect(r.raw == text)
        #expect(!r.message.isEmpty)
    }

    @Test func hostNotInPoolNamesTheProbe() {
        #expect(GlusterRefusal.interpret("Host n4 is not in 'Peer in Cluster' state").message == "n4 is not in the pool: run `brickctl peer probe n4` first")
    }
}
