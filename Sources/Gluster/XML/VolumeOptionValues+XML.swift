import FoundationXML

/// The answer of `gluster --xml volume get NAME KEY|all`: each option's current value (the
/// default when it was never set).
public enum VolumeOptionValues {
    /// Decodes `<volGetopts><count>1</count><Opt><Option>auth.allow</Option><Value>*</Value></Opt>…`.
    /// - Returns: key → value, in glusterd's order.
    /// - Throws: `GlusterXMLError` when there is no `<volGetopts>` or an `<Opt>` lacks its fields.
    public static func list(from envelope: CLIEnvelope) throws(GlusterXMLError) -> [(key: String, value: String)] {
        let xml = envelope.xml
        guard let getopts = try envelope.root().child("volGetopts") else {
            throw GlusterXMLError("no <volGetopts> in the answer", in: xml)
        }
        var result: [(key: String, value: String)] = []
        for opt in getopts.elements(forName: "Opt") {
            result.append((try opt.required("Option", in: xml), opt.text("Value") ?? ""))
        }
        return result
    }
}
