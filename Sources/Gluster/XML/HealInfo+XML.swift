import FoundationXML

extension HealInfo {
    /// Decodes `gluster --xml volume heal NAME info` or `… info summary`.
    ///
    /// An unreachable brick has hostUuid "-" and numberOfEntries "-" (info) or no count at all
    /// (summary): both become nil. Note that this answer puts `<healInfo>` before `opRet`.
    /// - Throws: `GlusterXMLError` when `<healInfo><bricks>` or a brick's name is missing.
    public static func decode(from envelope: CLIEnvelope) throws(GlusterXMLError) -> HealInfo {
        let bricks = try envelope.decodeEach("brick", under: "healInfo", "bricks") {
            element, xml throws(GlusterXMLError) in
            let name = try element.required("name", in: xml)
            guard let address = BrickAddress(parsing: name) else {
                throw GlusterXMLError("heal info brick \"\(name)\" is not host:/path", in: xml)
            }
            let uuid = element.attributeText("hostUuid").flatMap { $0 == "-" || $0.isEmpty ? nil : $0 }
            let files = element.elements(forName: "file").map {
                Entry(
                    path: ($0.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                    gfid: $0.attributeText("gfid"))
            }
            return Brick(
                address: address,
                hostUUID: uuid,
                status: element.text("status") ?? "",
                entries: element.optionalInteger("numberOfEntries")
                    ?? element.optionalInteger("totalNumberOfEntries"),
                splitBrain: element.optionalInteger("numberOfEntriesInSplitBrain"),
                possiblyHealing: element.optionalInteger("numberOfEntriesPossiblyHealing"),
                files: files)
        }
        return HealInfo(bricks: bricks)
    }
}
