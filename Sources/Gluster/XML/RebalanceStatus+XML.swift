import FoundationXML

extension RebalanceStatus {
    /// Decodes `gluster --xml volume rebalance NAME status`.
    /// - Throws: `GlusterXMLError` when `<volRebalance>` or a node's fields are missing.
    public static func decode(from envelope: CLIEnvelope) throws(GlusterXMLError) -> RebalanceStatus {
        let xml = envelope.xml
        let root = try envelope.root().path("volRebalance", in: xml)
        func node(_ element: XMLElement) throws(GlusterXMLError) -> Node {
            Node(
                host: element.text("nodeName") ?? "total",
                files: element.optionalInteger("files") ?? 0,
                bytes: UInt64(element.optionalInteger("size") ?? 0),
                scanned: element.optionalInteger("lookups") ?? 0,
                failures: element.optionalInteger("failures") ?? 0,
                skipped: element.optionalInteger("skipped") ?? 0,
                state: element.text("statusStr") ?? "unknown")
        }
        var nodes: [Node] = []
        for element in root.elements(forName: "node") { nodes.append(try node(element)) }
        guard let aggregate = root.child("aggregate") else {
            throw GlusterXMLError("no <aggregate> in <volRebalance>", in: xml)
        }
        return RebalanceStatus(nodes: nodes, total: try node(aggregate))
    }
}
