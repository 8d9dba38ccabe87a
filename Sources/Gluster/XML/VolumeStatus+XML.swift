import FoundationXML

extension VolumeStatus {
    /// Decodes `gluster --xml volume status [NAME|all] [detail]`: one status per volume.
    ///
    /// Brick nodes have an absolute `<path>`; the self-heal daemons are the nodes named
    /// "Self-heal Daemon" (their `<path>` is the host). Other daemons (NFS, quota, bitrot) are
    /// left out. An offline brick has port "N/A" and pid -1: both become nil.
    /// - Throws: `GlusterXMLError` when `<volStatus><volumes>` or a node's fields are missing.
    public static func list(from envelope: CLIEnvelope) throws(GlusterXMLError) -> [VolumeStatus] {
        try envelope.decodeEach("volume", under: "volStatus", "volumes") { volume, xml throws(GlusterXMLError) in
            let name = try volume.required("volName", in: xml)
            var bricks: [Brick] = []
            var daemons: [SelfHealDaemon] = []
            for node in volume.elements(forName: "node") {
                let hostname = try node.required("hostname", in: xml)
                let path = try node.required("path", in: xml)
                let online = try node.flag("status", in: xml)
                let pid = node.optionalInteger("pid").flatMap { $0 > 0 ? $0 : nil }
                let uuid = node.text("peerid") ?? ""
                if path.hasPrefix("/") {
                    let port = (node.child("ports")?.optionalInteger("tcp") ?? node.optionalInteger("port")).flatMap {
                        $0 > 0 ? $0 : nil
                    }
                    bricks.append(
                        Brick(
                            address: BrickAddress(host: hostname, path: path), hostUUID: uuid, online: online,
                            port: online ? port : nil, pid: online ? pid : nil, disk: disk(node)))
                } else if hostname == "Self-heal Daemon" {
                    daemons.append(SelfHealDaemon(host: path, hostUUID: uuid, online: online, pid: online ? pid : nil))
                }
            }
            return VolumeStatus(name: name, bricks: bricks, selfHealDaemons: daemons)
        }
    }

    /// The filesystem fields of a `detail` brick node, when present.
    static func disk(_ node: XMLElement) -> Disk? {
        guard let device = node.text("device"), let total = node.text("sizeTotal").flatMap({ UInt64($0) }) else {
            return nil
        }
        return Disk(
            device: device,
            filesystem: node.text("fsName") ?? "",
            mountOptions: node.text("mntOptions") ?? "",
            blockSize: node.optionalInteger("blockSize") ?? 0,
            bytesTotal: total,
            bytesFree: node.text("sizeFree").flatMap { UInt64($0) } ?? 0,
            inodesTotal: node.text("inodesTotal").flatMap { UInt64($0) } ?? 0,
            inodesFree: node.text("inodesFree").flatMap { UInt64($0) } ?? 0)
    }
}
