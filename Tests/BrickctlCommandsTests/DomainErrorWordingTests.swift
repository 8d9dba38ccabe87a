import BlockDevices
import BrickctlTestSupport
import DiskPreparation
import GlusterTLS
import Stack
import Testing

@testable import BrickctlCommands
@testable import Gluster

/// The domains say what is wrong and name the fix as a typed remedy; the command layer words the
/// fix as brickctl's own commands and options.
@Suite(.offCooperativePool) struct DomainErrorWordingTests {
    @Test func glusterRefusalsNameTheCommandThatMendsThem() {
        let cases: [(String, String, String)] = [
            (
                "The brick n1:/var/tmp/gvr is being created in the root partition. Or use 'force' at the end of the command if you want to override this behavior.",
                "gvr",
                "n1:/var/tmp/gvr is on the root filesystem: run `brickctl prepare DEVICE` on n1 first, so the brick is on its own XFS disk (or pass --force to use the root disk anyway)"
            ),
            (
                "/data/b/gv0 is already part of a volume", "gv1",
                "/data/b/gv0 was part of a volume before, or of a `volume create` that failed (it still carries the volume's attributes): run `brickctl brick reset /data/b/gv0` on the host that holds it, or use another directory"
            ),
            (
                "parent directory /data/b is already part of a volume", "gv1",
                "/data/b, a parent directory of the new brick, was itself a brick of a volume (it still carries that volume's attributes): run `brickctl brick reset /data/b` on the host that holds it, or put the brick elsewhere"
            ),
            (
                "Host n4 is not in 'Peer in Cluster' state", "gv0",
                "n4 is not in the pool: run `brickctl peer probe n4` first"
            ),
            (
                "Volume gv0 already exists", "gv0",
                "a volume named gv0 already exists: choose another name, or `brickctl volume delete gv0`"
            ),
            ("Volume gv9 does not exist", "gv9", "there is no volume gv9: see `brickctl volume list`"),
            (
                "Volume gv0 has been started.Volume needs to be stopped before deletion.", "gv0",
                "volume gv0 is started: `brickctl volume stop gv0` first (its clients lose access)"
            ),
            ("Volume gv0 is not in the started state", "gv0", "volume gv0 is not started: `brickctl volume start gv0`"),
            (
                "Multiple bricks of a replicate volume are present on the same server.", "gv0",
                "two bricks of one replica set are on the same host: order the bricks so every set spans distinct hosts (or pass --force)"
            ),
            ("something new", "gv0", "something new"),
        ]
        for (raw, subject, text) in cases {
            let refusal = GlusterRefusal.interpret(raw, subject: subject)
            #expect(refusal.commandLineText == text)
            #expect(commandLineText(for: GlusterCLIError.refused(refusal, command: "gluster x")) == text)
        }
    }

    @Test func volumeCreationWordsItsCauses() {
        #expect(
            VolumeCreationError.exists("gv0").commandLineText
                == "a volume named gv0 already exists: choose another name, or `brickctl volume delete gv0`")
        #expect(
            commandLineText(for: VolumeCreationError.layout(.tooFewHosts(setSize: 3, pool: ["n1", "n2"])))
                == "a replica set of 3 bricks needs 3 hosts, the pool has 2 (n1, n2): run `brickctl peer probe HOST` first"
        )
        #expect(
            VolumeLayoutWarning.replicaTwoCanSplitBrain.commandLineText.hasSuffix(
                "Use `--arbiter` (a third, metadata-only brick on another host) or `--replica 3` to avoid it."))
    }

    @Test func tlsRefusalsNameTheTLSCommand() {
        #expect(
            TLSError(
                .wrongHost, "the bundle is for n2, not for n1: install the bundle issued for n1", remedy: .knownAs("n2")
            )
            .commandLineText
                == "the bundle is for n2, not for n1: install the bundle issued for n1, or pass --for-host n2 if this host is known by that name"
        )
        #expect(
            TLSError(.noCA, "there is no CA in /x", remedy: .createCA).commandLineText
                == "there is no CA in /x: run `brickctl tls init` on one node first (or pass --dir)")
        #expect(
            commandLineText(for: TLSError(.expired, "expired", remedy: .issueAgain(host: "n3")))
                == "expired (`brickctl tls issue n3` on the CA's host)")
        #expect(TLSError(.io, "cannot write").commandLineText == "cannot write")
    }

    @Test func authAllowRefusalsNameTheVolume() {
        #expect(AuthAllowError.wouldBeEmpty.commandLineText(volume: "gv0").hasSuffix("(`brickctl volume stop gv0`)"))
        #expect(
            AuthAllowError.cannotNarrowEveryone.commandLineText(volume: "gv0").hasSuffix(
                "(`brickctl volume allow gv0 ADDR...`)"))
        #expect(AuthAllowError.empty.commandLineText(volume: "gv0") == AuthAllowError.empty.description)
    }

    @Test func anAuthRefusalNamesBrickctlVolumeAllowOnlyInTheCommandLayer() {
        let refusal = AuthRefusal(volume: "gv", clientAddress: "10.0.0.14")
        #expect(refusal.description == "the bricks refused this host (auth.allow of gv does not list 10.0.0.14)")
        #expect(!refusal.description.contains("brickctl"))
        #expect(
            refusal.commandLineText
                == "the bricks refused this host (auth.allow of gv does not list 10.0.0.14): on a pool host run `brickctl volume allow gv 10.0.0.14`"
        )
        let unknown = AuthRefusal(volume: "gv", clientAddress: nil)
        #expect(unknown.commandLineRemedy == "on a pool host run `brickctl volume allow gv THIS-HOST'S-ADDRESS`")
    }

    @Test func anErrorWithoutCommandLineWordsKeepsItsDescription() {
        struct Plain: Error, CustomStringConvertible { var description: String { "plain words" } }
        #expect(commandLineText(for: Plain()) == "plain words")
    }
}

/// `disks`, `prepare` and `release` word the device errors with their own commands.
@Suite(.offCooperativePool) struct DiskWordingTests {
    @Test func lookupErrorsPointAtTheDiskListing() {
        #expect(
            DeviceLookupError.notFound(path: "/dev/nope").commandLineText
                == "/dev/nope: no such device; run `brickctl disks` to list the block devices")
        #expect(!DeviceLookupError.notFound(path: "/dev/nope").description.contains("brickctl"))
        #expect(
            commandLineText(for: DeviceLookupError.notBlockDevice(path: "/tmp", isA: "a directory"))
                == "/tmp is a directory, not a block device; give a disk such as /dev/vdb (see `brickctl disks`)")
    }

    @Test func notABrickPointsAtTheDiskListingAndOtherErrorsAreKept() {
        let notBrick = PrepareError(.notABrick, "/dev/vdz is not a brickctl brick")
        #expect(notBrick.commandLineText == "/dev/vdz is not a brickctl brick; see `brickctl disks`")
        let mount = PrepareError(.mount, "mount /x failed", cause: .output("bad"), advice: "nothing changed")
        #expect(commandLineText(for: mount) == "mount /x failed: bad; nothing changed")
    }
}

/// `stack deploy|wordpress` name the option whose value was refused.
@Suite(.offCooperativePool) struct StackWordingTests {
    @Test func aRefusedSettingIsNamedByItsOption() {
        #expect(
            StackError("give a TCP port, 1 to 65535", setting: .port, value: "0").commandLineText
                == "--port 0: give a TCP port, 1 to 65535")
        #expect(
            StackError("give a Docker volume driver name, e.g. brickctl", setting: .volumeDriver, value: "\"\"")
                .commandLineText == "--volume-driver \"\": give a Docker volume driver name, e.g. brickctl")
        #expect(StackError("cannot read it").commandLineText == "cannot read it")
    }
}

/// `swarm check` and `stack deploy` print each finding's remedy as the command that makes it.
@Suite(.offCooperativePool) struct SwarmFindingWordingTests {
    @Test func remediesBecomeCommands() {
        let cases: [(SwarmCheck.Remedy, [String])] = [
            (.removeNode("n2"), ["docker", "node", "rm", "--force", "n2"]),
            (.activate("n3"), ["docker", "node", "update", "--availability", "active", "n3"]),
            (.label(node: "n3", .database, remove: false), ["brickctl", "swarm", "label", "n3", "--database"]),
            (
                .label(node: "n4", .wordpress, remove: true),
                ["brickctl", "swarm", "label", "n4", "--wordpress", "--remove"]
            ),
            (.label(node: nil, .wordpress, remove: false), ["brickctl", "swarm", "label", "NODE", "--wordpress"]),
        ]
        for (remedy, argv) in cases {
            #expect(SwarmCheck.Finding(.error, "m", remedy: remedy).fix == argv)
        }
        #expect(
            SwarmCheck.Finding(.warning, "two labels", remedy: .activate("n1")).commandLineText
                == "warning: two labels\n  fix: docker node update --availability active n1")
    }
}
