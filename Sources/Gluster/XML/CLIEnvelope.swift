import Foundation
import FoundationXML

/// The frame around every `gluster --xml` answer: `<cliOutput>` with `opRet`, `opErrno`,
/// `opErrstr`, and (for some commands) `cliOp` and `output`.
///
/// glusterd's verdict is `opRet` (0 = done); the CLI's exit status is not reliable with `--xml`
/// (a refused `peer probe` or `volume create` exits 0, `volume heal … info` exits 251 or 254).
/// The whole text is kept: the payload decoders (`Peer.pool(from:)`, `VolumeInfo.list(from:)`,
/// …) read it.
public struct CLIEnvelope: Hashable, Sendable {
    /// 0 when glusterd did what was asked; -1 (or 1) when it refused.
    public var opRet: Int
    /// glusterd's error number; informative only (e.g. 2 with opRet 0 for "already in peer list").
    public var opErrno: Int = 0
    /// glusterd's reason for a refusal; empty on success.
    public var opErrstr: String = ""
    /// `<cliOp>`, e.g. "volSet", "volStatus".
    public var cliOp: String?
    /// `<output>`: a message for people, e.g. "Host n2 port 24007 already in peer list".
    public var output: String?
    /// The document as received.
    public var xml: String = ""

    /// glusterd did what was asked.
    public var succeeded: Bool { opRet == 0 }

    /// glusterd's reason in its own words: `opErrstr`, or `output` when that is empty.
    public var reason: String {
        opErrstr.isEmpty ? (output ?? "") : opErrstr
    }

    /// What the refusal means for the user (see `GlusterRefusal.interpret`).
    public func refusal(subject: String? = nil) -> GlusterRefusal {
        GlusterRefusal.interpret(reason, subject: subject)
    }
}

extension CLIEnvelope {
    /// Reads the envelope of a `gluster --xml` answer.
    /// - Throws: `GlusterXMLError` when the text is not XML or has no `<cliOutput>`/`<opRet>`.
    public init(parsing xml: String) throws(GlusterXMLError) {
        let root = try CLIEnvelope.root(of: xml)
        let opRet = try root.integer("opRet", in: xml)
        self.init(
            opRet: opRet,
            opErrno: root.optionalInteger("opErrno") ?? 0,
            opErrstr: root.text("opErrstr") ?? "",
            cliOp: root.text("cliOp"),
            output: root.text("output"),
            xml: xml)
    }

    /// The `<cliOutput>` element of `xml`.
    static func root(of xml: String) throws(GlusterXMLError) -> XMLElement {
        // FoundationXML crashes on empty data, libxml2 prints its complaints to stderr, and the
        // parser recovers from a truncated document instead of failing: read only what looks like
        // a whole gluster answer.
        guard xml.contains("<cliOutput") else {
            throw GlusterXMLError("no <cliOutput> in the answer", in: xml)
        }
        guard xml.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</cliOutput>") else {
            throw GlusterXMLError("the answer ends before </cliOutput>", in: xml)
        }
        let document: XMLDocument
        do {
            document = try XMLDocument(data: Data(xml.utf8), options: [])
        } catch {
            throw GlusterXMLError("not XML: \(error.localizedDescription)", in: xml)
        }
        guard let root = document.rootElement(), root.name == "cliOutput" else {
            throw GlusterXMLError("no <cliOutput> root element", in: xml)
        }
        return root
    }

    /// The `<cliOutput>` element of this answer.
    func root() throws(GlusterXMLError) -> XMLElement {
        try CLIEnvelope.root(of: xml)
    }

    /// Each `<name>` child of the element at `path` below `<cliOutput>`, in glusterd's order,
    /// made into a value by `decode` (which gets the whole answer, for its errors).
    /// - Throws: `GlusterXMLError` when a step of `path` is missing, or what `decode` throws.
    func decodeEach<Value>(
        _ name: String, under path: String...,
        decode: (XMLElement, String) throws(GlusterXMLError) -> Value
    ) throws(GlusterXMLError) -> [Value] {
        let parent = try root().path(path, in: xml)
        var values: [Value] = []
        for element in parent.elements(forName: name) {
            values.append(try decode(element, xml))
        }
        return values
    }
}
