import FoundationXML

extension DirectoryQuota {
    /// Decodes `gluster --xml volume quota NAME list`: one quota per `<limit>` (its `<path>`,
    /// `<hard_limit>` and `<used_space>` in bytes).
    /// - Throws: `GlusterXMLError` when `<volQuota>` or a limit's path is missing.
    public static func list(from envelope: CLIEnvelope) throws(GlusterXMLError) -> [DirectoryQuota] {
        try envelope.decodeEach("limit", under: "volQuota") { limit, xml throws(GlusterXMLError) in
            DirectoryQuota(
                path: try limit.required("path", in: xml),
                limitBytes: limit.text("hard_limit").flatMap { UInt64($0) } ?? 0,
                usedBytes: limit.text("used_space").flatMap { UInt64($0) } ?? 0)
        }
    }
}
