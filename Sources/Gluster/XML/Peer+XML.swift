import FoundationXML

extension Peer {
    /// Decodes the peers of `gluster --xml pool list` (which includes this node, as `localhost`)
    /// or `gluster --xml peer status` (which does not).
    /// - Throws: `GlusterXMLError` when `<peerStatus>` or a peer's fields are missing.
    public static func pool(from envelope: CLIEnvelope) throws(GlusterXMLError) -> [Peer] {
        try envelope.decodeEach("peer", under: "peerStatus") { element, xml throws(GlusterXMLError) in
            let hostname = try element.required("hostname", in: xml)
            let names =
                element.child("hostnames")?.elements(forName: "hostname").compactMap {
                    $0.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines)
                } ?? []
            // glusterd gives the local node neither <state> nor <hostnames>.
            let isSelf = element.child("state") == nil && element.child("stateStr") == nil
            return Peer(
                uuid: try element.required("uuid", in: xml),
                hostname: hostname,
                otherHostnames: names.filter { $0 != hostname && !$0.isEmpty },
                connected: try element.flag("connected", in: xml),
                state: element.text("stateStr"),
                isSelf: isSelf)
        }
    }
}

extension PeerProbe {
    /// Decodes a successful `gluster --xml peer probe HOST` answer: opErrno 1 = HOST is this node
    /// ("Probe on localhost not needed"), 2 = already a member ("Host … already in peer list"),
    /// 0 = probed (glusterd also answers 0 when HOST is a new name of a member: it records the
    /// name; `GlusterCLI.probe` tells those apart by UUID).
    public static func outcome(host: String, from envelope: CLIEnvelope) -> PeerProbe {
        switch envelope.opErrno {
        case 1: return PeerProbe(host: host, outcome: .localHost)
        case 2: return PeerProbe(host: host, outcome: .alreadyInPool)
        default: return PeerProbe(host: host, outcome: .added)
        }
    }
}
