import FoundationXML

extension VolumeInfo {
    /// Decodes `gluster --xml volume info [NAME]`: every volume, in glusterd's order (empty when
    /// there are none).
    /// - Throws: `GlusterXMLError` when `<volInfo><volumes>` or a volume's fields are missing.
    public static func list(from envelope: CLIEnvelope) throws(GlusterXMLError) -> [VolumeInfo] {
        try envelope.decodeEach("volume", under: "volInfo", "volumes") { element, xml throws(GlusterXMLError) in
            try decode(element, in: xml)
        }
    }

    static func decode(_ element: XMLElement, in xml: String) throws(GlusterXMLError) -> VolumeInfo {
        let name = try element.required("name", in: xml)
        var bricks: [Brick] = []
        for brick in element.child("bricks")?.elements(forName: "brick") ?? [] {
            // <brick uuid="…">n1:/path<name>n1:/path</name><hostUuid>…</hostUuid><isArbiter>0</isArbiter></brick>
            let text = brick.text("name") ?? ""
            guard let address = BrickAddress(parsing: text) else {
                throw GlusterXMLError("brick \"\(text)\" of volume \(name) is not host:/path", in: xml)
            }
            bricks.append(
                Brick(
                    address: address,
                    isArbiter: brick.text("isArbiter") == "1",
                    hostUUID: brick.text("hostUuid") ?? brick.attributeText("uuid") ?? ""))
        }
        var options: [Option] = []
        for option in element.child("options")?.elements(forName: "option") ?? [] {
            options.append(Option(key: try option.required("name", in: xml), value: option.text("value") ?? ""))
        }
        return VolumeInfo(
            name: name,
            id: try element.required("id", in: xml),
            status: try status(element, in: xml),
            type: try element.required("typeStr", in: xml),
            brickCount: try element.integer("brickCount", in: xml),
            replicaCount: element.optionalInteger("replicaCount") ?? 1,
            arbiterCount: element.optionalInteger("arbiterCount") ?? 0,
            distributeCount: element.optionalInteger("distCount") ?? 1,
            disperseCount: element.optionalInteger("disperseCount") ?? 0,
            redundancyCount: element.optionalInteger("redundancyCount") ?? 0,
            transport: transport(element.text("transport")),
            bricks: bricks,
            options: options)
    }

    /// `<statusStr>` Created/Started/Stopped, or the number in `<status>` (0/1/2).
    static func status(_ element: XMLElement, in xml: String) throws(GlusterXMLError) -> Status {
        switch (element.text("statusStr")?.lowercased(), element.text("status")) {
        case ("created", _), (nil, "0"): return .created
        case ("started", _), (nil, "1"): return .started
        case ("stopped", _), (nil, "2"): return .stopped
        case (let text, let number):
            throw GlusterXMLError(
                "volume status \"\(text ?? number ?? "")\" is not Created, Started or Stopped", in: xml)
        }
    }

    /// glusterd's transport number: 0 tcp, 1 rdma, 2 both.
    static func transport(_ number: String?) -> String {
        switch number {
        case "0", nil: return "tcp"
        case "1": return "rdma"
        case "2": return "tcp,rdma"
        case let other?: return other
        }
    }
}

extension CLIEnvelope {
    /// The volume UUID in a `volume create|start|stop|delete` answer (`<volCreate><volume><id>`).
    public var volumeID: String? {
        guard let root = try? root() else { return nil }
        for operation in ["volCreate", "volStart", "volStop", "volDelete"] {
            if let id = root.child(operation)?.child("volume")?.text("id") { return id }
        }
        return nil
    }
}
