import Foundation
import FoundationXML

/// Field access for `gluster --xml` answers, with errors that name the element.
extension XMLElement {
    /// The first child element called `name`.
    func child(_ name: String) -> XMLElement? {
        elements(forName: name).first
    }

    /// The text of child `name`, trimmed; nil when the child is missing.
    func text(_ name: String) -> String? {
        child(name).map { ($0.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The text of child `name`; throws when it is missing.
    func required(_ name: String, in document: String) throws(GlusterXMLError) -> String {
        guard let value = text(name) else {
            throw GlusterXMLError("no <\(name)> in <\(self.name ?? "?")>", in: document)
        }
        return value
    }

    /// The integer in child `name`; throws when it is missing or not a number.
    func integer(_ name: String, in document: String) throws(GlusterXMLError) -> Int {
        let value = try required(name, in: document)
        guard let number = Int(value) else {
            throw GlusterXMLError("<\(name)> is \"\(value)\", not a number", in: document)
        }
        return number
    }

    /// The integer in child `name`; nil when it is missing, empty, "N/A", "-" or another non-number.
    func optionalInteger(_ name: String) -> Int? {
        text(name).flatMap { Int($0) }
    }

    /// A 0/1 flag in child `name`; throws when it is missing or another value.
    func flag(_ name: String, in document: String) throws(GlusterXMLError) -> Bool {
        switch try required(name, in: document) {
        case "1": return true
        case "0": return false
        case let other: throw GlusterXMLError("<\(name)> is \"\(other)\", not 0 or 1", in: document)
        }
    }

    /// The child path `names` (e.g. "volInfo", "volumes"); throws when a step is missing.
    func path(_ names: String..., in document: String) throws(GlusterXMLError) -> XMLElement {
        try path(names, in: document)
    }

    /// The child path `names`; throws when a step is missing.
    func path(_ names: [String], in document: String) throws(GlusterXMLError) -> XMLElement {
        var element = self
        for name in names {
            guard let next = element.child(name) else {
                throw GlusterXMLError("no <\(name)> in <\(element.name ?? "?")>", in: document)
            }
            element = next
        }
        return element
    }

    /// The text of attribute `name`, if present.
    func attributeText(_ name: String) -> String? {
        attribute(forName: name)?.stringValue
    }
}
