/// Who may mount a volume: the value of its `auth.allow` option, a comma-separated list of client
/// addresses (`10.0.0.5`, `10.0.0.*`, `10.0.0.0/24`, `fe80::1`), or `*` for every address
/// (Gluster's default).
///
/// Gluster checks it when a client connects to a brick (the addr auth module of
/// protocol/server): a client whose address is not listed gets "Authentication failed" and
/// reads nothing. It does not guard glusterd's port 24007 (volfiles); self-heal and other
/// daemons of the pool authenticate with the volume's internal login, not by address.
public struct AuthAllow: Hashable, Sendable, CustomStringConvertible {
    /// The addresses or patterns, in order, without duplicates; `["*"]` for everyone.
    public private(set) var entries: [String]

    /// Gluster's default: every address may mount.
    public static let everyone = AuthAllow(uncheckedEntries: ["*"])

    /// The option's key.
    public static let key = "auth.allow"

    private init(uncheckedEntries: [String]) {
        entries = uncheckedEntries
    }

    /// The list `entries` (duplicates dropped, order kept; `*` anywhere means everyone).
    /// - Throws: `AuthAllowError.badAddress` for an entry that is not an address or pattern;
    ///   `.empty` for no entries.
    public init(_ entries: [String]) throws(AuthAllowError) {
        var seen: Set<String> = []
        var kept: [String] = []
        for raw in entries {
            let entry = raw.trimmingSpaces
            guard !entry.isEmpty else { continue }
            if entry == "*" {
                self = .everyone
                return
            }
            guard AuthAllow.isAddressPattern(entry) else { throw .badAddress(entry) }
            if seen.insert(entry).inserted { kept.append(entry) }
        }
        guard !kept.isEmpty else { throw .empty }
        self.entries = kept
    }

    /// Reads the option's value as `gluster volume get NAME auth.allow` shows it. An empty value
    /// or `*` is everyone. Entries Gluster accepted are kept as they are, even ones brickctl
    /// would not write (host names).
    public init(value: String) {
        let parts = value.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        if parts.isEmpty || parts.contains("*") {
            self = .everyone
            return
        }
        var seen: Set<String> = []
        self.init(uncheckedEntries: parts.filter { seen.insert($0).inserted })
    }

    /// The value to set: `a,b,c`.
    public var value: String { entries.joined(separator: ",") }

    public var description: String { allowsEveryone ? "every address (*)" : entries.joined(separator: ", ") }

    /// `*`: no restriction.
    public var allowsEveryone: Bool { entries == ["*"] }

    /// This list plus `addresses` (already listed ones are left as they are). Everyone stays
    /// everyone: adding to `*` changes nothing. Only `addresses` are checked: the entries Gluster
    /// holds are kept as they are (`volume replace-brick` itself adds the pool hosts' names).
    /// - Throws: `AuthAllowError.badAddress` for one of `addresses`.
    public func adding(_ addresses: [String]) throws(AuthAllowError) -> AuthAllow {
        if allowsEveryone { return self }
        var seen = Set(entries)
        var kept = entries
        for raw in addresses {
            let entry = raw.trimmingSpaces
            guard !entry.isEmpty else { continue }
            if entry == "*" { return .everyone }
            guard AuthAllow.isAddressPattern(entry) else { throw .badAddress(entry) }
            if seen.insert(entry).inserted { kept.append(entry) }
        }
        return AuthAllow(uncheckedEntries: kept)
    }

    /// This list without `addresses`.
    /// - Throws: `.cannotNarrowEveryone` when the list is `*` (there is nothing to take away
    ///   from; allow the addresses that may mount first); `.wouldBeEmpty` when nothing would be
    ///   left (Gluster has no "nobody": stop the volume instead).
    public func removing(_ addresses: [String]) throws(AuthAllowError) -> AuthAllow {
        if allowsEveryone { throw .cannotNarrowEveryone }
        let gone = Set(addresses.map(\.trimmingSpaces))
        let left = entries.filter { !gone.contains($0) }
        guard !left.isEmpty else { throw .wouldBeEmpty }
        return AuthAllow(uncheckedEntries: left)
    }

    /// Whether `address` is listed literally (not: whether a pattern covers it).
    public func lists(_ address: String) -> Bool { allowsEveryone || entries.contains(address) }

    /// An IPv4 address with optional `*` octets (`10.1.*.*`), an IPv4 CIDR block
    /// (`10.1.0.0/16`), or an IPv6 address (hex groups and colons, optionally `/prefix`).
    public static func isAddressPattern(_ text: String) -> Bool {
        var address = Substring(text)
        if let slash = text.firstIndex(of: "/") {
            let prefix = text[text.index(after: slash)...]
            guard let bits = Int(prefix), bits >= 0, bits <= (text.contains(":") ? 128 : 32) else { return false }
            address = text[..<slash]
            if address.contains("*") { return false }
        }
        if address.contains(":") {
            let groups = address.split(separator: ":", omittingEmptySubsequences: false)
            return groups.count >= 3 && groups.count <= 8 && address.components(separatedBy: "::").count <= 2
                && groups.allSatisfy { $0.count <= 4 && $0.allSatisfy(\.isHexDigit) }
        }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4
            && octets.allSatisfy { octet in
                octet == "*"
                    || (octet.count <= 3 && Int(octet).map { $0 >= 0 && $0 <= 255 } == true
                        && octet.allSatisfy(\.isASCII))
            }
    }
}

/// Why an `auth.allow` list cannot be made.
public enum AuthAllowError: Error, Equatable, Sendable, CustomStringConvertible {
    case badAddress(String)
    case empty
    case cannotNarrowEveryone
    case wouldBeEmpty

    public var description: String {
        switch self {
        case .badAddress(let text):
            "\(text) is not an address: write an IPv4 or IPv6 address, a pattern like 10.1.0.* or a block like 10.1.0.0/24 (host names are resolved by brickctl before they get here)"
        case .empty: "no address given: name at least one client address"
        case .cannotNarrowEveryone:
            "the volume allows every address (*): there is nothing to take away; allow the addresses that may mount instead"
        case .wouldBeEmpty:
            "that would leave no address allowed to mount; Gluster has no \"nobody\": stop the volume instead"
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
