import FoundationXML

extension DirectoryQuota {
    /// Decodes `gluster --xml volume quota NAME list`: one quota per `<limit>` (its `<path>`,
    /// `<hard_limit>` and `<used_space>` in bytes).
    /// - Throws: `GlusterXMLError` when `<volQuota>` or a limit's path is missing.
    public static func list(from envelope: CLIEnvelope) throws(GlusterXMLError) -> [DirectoryQuota] {
        let xml = envelope.xml
        let quota = try envelope.root().path("volQuota", in: xml)
        var result: [DirectoryQuota] = []
        for limit in quota.elements(forName: "limit") {
            result.append(
                DirectoryQuota(
                    path: try limit.required("path", in: xml),
                    limitBytes: limit.text("hard_limit").flatMap { UInt64($0) } ?? 0,
                    usedBytes: limit.text("used_space").flatMap { UInt64($0) } ?? 0))
        }
        return result
    }
}
