import Foundation

/// What glusterd's refusal means for the user, and what to do about it.
///
/// Pure: glusterd's `opErrstr` (or the CLI's text) in, a sentence that says what is wrong out, with
/// the fix as a typed ``Remedy`` that the command layer words in its own commands. The raw text is
/// kept for `--json` and for messages brickctl does not know yet.
public struct GlusterRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, Codable {
        case brickOnRootFilesystem = "brick-on-root-filesystem"
        case brickIsMountPoint = "brick-is-mount-point"
        case brickAlreadyUsed = "brick-already-used"
        case brickOverlaps = "brick-overlaps"
        case bricksOnSameHost = "bricks-on-same-host"
        case hostNotInPool = "host-not-in-pool"
        case volumeExists = "volume-exists"
        case noSuchVolume = "no-such-volume"
        case volumeStarted = "volume-started"
        case volumeNotStarted = "volume-not-started"
        case alreadyStarted = "already-started"
        case unknownOption = "unknown-option"
        case healUnavailable = "heal-unavailable"
        case selfHealNotReady = "self-heal-not-ready"
        case peerUnreachable = "peer-unreachable"
        /// One peer's glusterd is not connected to another: just after a probe (the pool is still
        /// connecting), or because that peer is down.
        case peersNotConnected = "peers-not-connected"
        case peerSameUUID = "peer-same-uuid"
        case peerRejected = "peer-rejected"
        case peerInUse = "peer-in-use"
        /// "Commit failed on HOST": glusterd on HOST accepted the change but could not carry it
        /// out (a brick or daemon did not stop, start or reconfigure in time). The change may be
        /// done on some hosts only; repeating the same call finishes it.
        case commitFailed = "commit-failed"
        case glusterdDown = "glusterd-down"
        case timedOut = "timed-out"
        case busy
        case other
    }

    /// What the user can do about it, when it is one of brickctl's own operations.
    public enum Remedy: Hashable, Sendable {
        /// Put the brick on a prepared disk of `host` (or force the root disk).
        case prepareDisk(host: String)
        /// Clear the old volume's attributes from `path` on the host that holds it.
        case resetBrick(path: String, parentDirectory: Bool)
        /// Order the bricks so every replica set spans distinct hosts (or force).
        case orderBricks
        /// Add `host` to the pool first.
        case probePeer(host: String)
        /// Look at the volume's brick and daemon state.
        case checkVolumeStatus(volume: String)
        /// Choose another name, or delete the volume that has it.
        case deleteVolume(volume: String)
        /// List the volumes there are.
        case listVolumes
        /// Stop the volume first.
        case stopVolume(volume: String)
        /// Start the volume first.
        case startVolume(volume: String)
    }

    public var kind: Kind
    /// What is wrong, in words that name no command of brickctl's (see ``remedy``).
    public var message: String
    /// glusterd's own words.
    public var raw: String
    /// The fix, when brickctl has one.
    public var remedy: Remedy?

    public var description: String { message }

    /// Interprets glusterd's text for an operation on `subject` (a volume or host name).
    public static func interpret(_ raw: String, subject: String? = nil) -> GlusterRefusal {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = text.lowercased()
        func brick() -> String? {
            // "The brick n1:/data/x is being created..." / "n1:/data/x is already part of a volume"
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
            return words.first {
                BrickAddress(parsing: $0.trimmingCharacters(in: CharacterSet(charactersIn: ".,'\""))) != nil
            }
                ?? words.first { $0.hasPrefix("/") }
        }
        // "Host n4 is not in …", "Peer n2 hosts …", "Host n2 not connected" / "n3 is not part of cluster".
        func host() -> String? {
            let words = text.split(separator: " ").map(String.init)
            if let first = words.first, ["host", "peer"].contains(first.lowercased()), words.count > 1 {
                return words[1]
            }
            if lower.contains(" is not part of cluster") { return words.first }
            return nil
        }
        func make(_ kind: Kind, _ message: String, _ remedy: Remedy? = nil) -> GlusterRefusal {
            GlusterRefusal(kind: kind, message: message, raw: text, remedy: remedy)
        }
        func mentions(_ phrases: String...) -> Bool { phrases.contains { lower.contains($0) } }
        // "Commit failed on localhost. Please check log file for details." → "localhost".
        func commitHost() -> String? {
            guard let range = lower.range(of: "commit failed on ") else { return nil }
            return lower[range.upperBound...].split(separator: " ").first.map {
                String($0).trimmingCharacters(in: CharacterSet(charactersIn: ".,"))
            }
        }
        let name = subject ?? "it"

        if mentions("connection failed", "gluster daemon is operational") {
            return make(
                .glusterdDown,
                "glusterd is not running on this host: start it (`systemctl start glusterd`) and try again")
        }
        if lower.contains("request timed out") {
            return make(
                .timedOut,
                "glusterd did not answer in time: it may be hung, or waiting for a peer that is down; check `systemctl status glusterd` and /var/log/glusterfs/glusterd.log, then try again"
            )
        }
        if mentions("another transaction is in progress", "locking failed") {
            return make(.busy, "glusterd is busy with another operation on \(name): try again in a few seconds")
        }
        if lower.contains("root partition") {
            let b = brick() ?? "the brick"
            let address = BrickAddress(parsing: b)
            let host = address?.host ?? "that host"
            return make(
                .brickOnRootFilesystem,
                "\(b) is on the root filesystem", .prepareDisk(host: host))
        }
        if lower.contains("is a mount point") {
            let b = brick() ?? "the brick"
            return make(
                .brickIsMountPoint,
                "\(b) is itself a mount point: use a directory inside it, such as \(b)/brick/\(name)")
        }
        if lower.contains("already part of a volume") {
            // "/data/glusterfs/brick1/brick/gv0 is already part of a volume" (no host), also left
            // behind by a `volume create` that failed; "parent directory /x is already part of a volume".
            let b = brick() ?? "the brick"
            let path = BrickAddress(parsing: b)?.path ?? b
            if lower.contains("parent directory") {
                return make(
                    .brickAlreadyUsed,
                    "\(b), a parent directory of the new brick, was itself a brick of a volume (it still carries that volume's attributes)",
                    .resetBrick(path: path, parentDirectory: true))
            }
            return make(
                .brickAlreadyUsed,
                "\(b) was part of a volume before, or of a `volume create` that failed (it still carries the volume's attributes)",
                .resetBrick(path: path, parentDirectory: false))
        }
        if lower.contains("may be containing or be contained by an existing brick") {
            let b = brick() ?? "the brick"
            return make(
                .brickOverlaps,
                "\(b) is inside, or contains, a brick of an existing volume: give every volume its own directory side by side (…/brick/\(name)), not one within another"
            )
        }
        if lower.contains("multiple bricks of a replicate volume are present on the same server") {
            return make(
                .bricksOnSameHost,
                "two bricks of one replica set are on the same host: order the bricks so every set spans distinct hosts",
                .orderBricks)
        }
        if mentions(
            "not in 'peer in cluster' state", "not in \"peer in cluster\" state", "is not a friend",
            " is not part of cluster")
        {
            let host = host() ?? "a host"
            return make(.hostNotInPool, "\(host) is not in the pool", .probePeer(host: host))
        }
        if lower.hasPrefix("staging failed on ") && lower.contains("error: host ") && lower.hasSuffix(" not connected")
        {
            // "Staging failed on n3. Error: Host n4 not connected"
            let words = text.split(separator: " ").map(String.init)
            let on = words.count > 3 ? words[3].trimmingCharacters(in: CharacterSet(charactersIn: ".")) : "a peer"
            let hostIndex = words.firstIndex { $0.lowercased() == "host" }
            let other = hostIndex.flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } ?? "another peer"
            return make(
                .peersNotConnected,
                "glusterd on \(on) is not connected to \(other): check that glusterd runs on \(other) and that TCP 24007 is open between them (`gluster pool list` on \(on))"
            )
        }
        if lower.hasPrefix("host ") && lower.hasSuffix(" not connected") {
            let host = host() ?? name
            return make(
                .peerUnreachable,
                "glusterd on \(host) is not connected to this host: check that glusterd runs on \(host) and that TCP 24007 is open between the hosts (`gluster pool list`)"
            )
        }
        if lower.hasPrefix("option ") && lower.contains("does not exist") {
            // "option : no.such-option does not exist\nDid you mean nfs.drc-size or ...rpc-statd?"
            let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            let option = lines[0].replacingOccurrences(of: "option : ", with: "").replacingOccurrences(
                of: " does not exist", with: "")
            let hint = lines.dropFirst().joined(separator: " ")
            return make(
                .unknownOption,
                "gluster has no option \(option)\(hint.isEmpty ? "" : " (\(hint))"): see `gluster volume set help` for the option names"
            )
        }
        // The rest: one rule per kind, the first that matches wins.
        let rules: [(matches: Bool, kind: Kind, message: String, remedy: Remedy?)] = [
            (
                // replace-brick's staging on a host whose self-heal daemon is (re)starting, e.g. after
                // a start or an option change: "Staging failed on n2. Error: Self-heal daemon is not
                // running. Check self-heal daemon log file."
                lower.contains("self-heal daemon is not running"), .selfHealNotReady,
                "the self-heal daemon of \(name) is not running on every host (it restarts after a start or an option change, and must run everywhere for a replace-brick): try again shortly; see /var/log/glusterfs/glustershd.log",
                .checkVolumeStatus(volume: name)
            ),
            (
                lower.contains("brick op 'heal' failed"), .selfHealNotReady,
                "the self-heal daemons of \(name) did not take the heal request (they need a few seconds after a start, and must run on every host): try again shortly; see /var/log/glusterfs/glustershd.log",
                .checkVolumeStatus(volume: name)
            ),
            (
                lower.contains("not able to fetch volfile"), .healUnavailable,
                "cannot read the heal state of \(name): glfsheal could not load the volume; it must be started with enough bricks online",
                .checkVolumeStatus(volume: name)
            ),
            (
                lower.contains("already exists"), .volumeExists,
                "a volume named \(name) already exists: choose another name, or delete it first",
                .deleteVolume(volume: name)
            ),
            (lower.contains("does not exist"), .noSuchVolume, "there is no volume \(name)", .listVolumes),
            (
                lower.contains("needs to be stopped before deletion")
                    || lower.contains("has been started") && lower.contains("delet"),
                .volumeStarted, "volume \(name) is started: stop it first (its clients lose access)",
                .stopVolume(volume: name)
            ),
            (lower.contains("already started"), .alreadyStarted, "volume \(name) is already started", nil),
            (
                mentions("is not in the started state", "not started"), .volumeNotStarted,
                "volume \(name) is not started", .startVolume(volume: name)
            ),
            (
                mentions("same as local uuid", "same uuid"), .peerSameUUID,
                "\(name) has the same glusterd UUID as this host (a cloned VM?): on \(name), stop glusterd, delete /var/lib/glusterd/glusterd.info, start glusterd, then probe again",
                nil
            ),
            (
                mentions(
                    "transport endpoint is not connected", "unknown errno 107", "no route to host",
                    "connection refused", "could not be resolved", "failed to resolve"), .peerUnreachable,
                "cannot reach glusterd on \(name) (TCP 24007): check that the name resolves, that glusterd runs there, and that the port is open",
                nil
            ),
            (
                lower.contains("rejected"), .peerRejected,
                "\(name) rejected this pool (its volume configuration or op-version differs): see /var/log/glusterfs/glusterd.log on both hosts; a host that was in another pool must be reset first",
                nil
            ),
            (
                mentions("brick(s) with the peer", "has bricks", "brick(s) in", "hosts one or more bricks"), .peerInUse,
                "\(name) still hosts bricks of a volume: remove or replace them before detaching it", nil
            ),
            (
                // Last: a commit failure with glusterd's reason matches that reason's rule above.
                lower.contains("commit failed on "), .commitFailed,
                "glusterd on \(commitHost() ?? "a host") could not carry out the change on \(name) (a brick or daemon did not stop, start or reconfigure in time): see /var/log/glusterfs/glusterd.log there; the same call again finishes it",
                .checkVolumeStatus(volume: name)
            ),
        ]
        if let rule = rules.first(where: { $0.matches }) { return make(rule.kind, rule.message, rule.remedy) }
        return make(.other, text.isEmpty ? "glusterd refused without saying why" : text)
    }
}
