/// The `-o KEY=VALUE` options of `docker volume create -d brickctl`, checked.
///
/// Pure: turns Docker's `Opts` map into a `PluginVolume` or a `PluginError` that names the bad
/// option and the accepted form.
public enum VolumeOptions {
    public static let known = ["type", "volume", "uid", "gid", "mode", "size", "on-remove"]

    /// - Parameters:
    ///   - defaultGlusterVolume: the plugin's default Gluster volume (nil: `-o volume=` is required).
    /// - Throws: `PluginError` of code `bad-option` or `bad-name`.
    public static func volume(
        name: String, options: [String: String], defaultGlusterVolume: String?, host: String
    ) throws(PluginError) -> PluginVolume {
        try VolumeName.validate(name)
        for key in options.keys.sorted() where !known.contains(key) {
            throw PluginError(
                .badOption,
                "unknown option \"\(key)\": the options are \(known.map { "-o \($0)=..." }.joined(separator: ", "))")
        }
        let kind: PluginVolume.Kind
        switch options["type"] ?? "shared" {
        case "shared", "gluster": kind = .shared
        case "local": kind = .local
        case let other:
            throw PluginError(
                .badOption,
                "-o type=\(other): use type=shared (a Gluster volume directory, the default) or type=local (this host's prepared disk)"
            )
        }
        var glusterVolume: String?
        if kind == .shared {
            glusterVolume = options["volume"] ?? defaultGlusterVolume
            guard let name = glusterVolume, !name.isEmpty else {
                throw PluginError(
                    .badOption,
                    "no Gluster volume: pass -o volume=NAME, or set \"volume\" in \(PluginConfiguration.defaultPath)")
            }
            guard name.utf8.count <= 64,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            else {
                throw PluginError(
                    .badOption, "-o volume=\(name): a Gluster volume name has letters, digits, '_' and '-' only")
            }
        } else if options["volume"] != nil {
            throw PluginError(
                .badOption, "-o volume= is for shared volumes; a type=local volume lives on this host's local root")
        }
        func id(_ key: String) throws(PluginError) -> UInt32? {
            guard let text = options[key] else { return nil }
            guard let value = UInt32(text), value < UInt32.max else {
                throw PluginError(.badOption, "-o \(key)=\(text): give a numeric id, e.g. -o \(key)=33 (www-data)")
            }
            return value
        }
        let uid = try id("uid")
        let gid = try id("gid")
        var mode: UInt32 = 0o755
        if let text = options["mode"] {
            guard let value = UInt32(text.hasPrefix("0o") ? String(text.dropFirst(2)) : text, radix: 8), value <= 0o7777
            else {
                throw PluginError(
                    .badOption, "-o mode=\(text): give octal permission bits, e.g. -o mode=0755 or -o mode=2775")
            }
            mode = value
        }
        var size: String?
        if let text = options["size"] {
            guard kind == .shared else {
                throw PluginError(
                    .badOption,
                    "-o size= is a Gluster directory quota, which only shared volumes have: leave -o size out of a -o type=local volume (it can fill its disk; give the plugin's \"localRoot\" a disk of its own to bound it)"
                )
            }
            size = try quotaSize(text)
        }
        var deleteOnRemove = false
        if let text = options["on-remove"] {
            switch text {
            case "keep": deleteOnRemove = false
            case "delete": deleteOnRemove = true
            default:
                throw PluginError(
                    .badOption,
                    "-o on-remove=\(text): use keep (the default: docker volume rm keeps the files) or delete")
            }
        }
        return PluginVolume(
            name: name, backing: glusterVolume.map { .shared(glusterVolume: $0, size: size) } ?? .local, uid: uid,
            gid: gid, mode: mode, deleteOnRemove: deleteOnRemove, createdOn: host)
    }

    /// `10G`, `10GB`, `500MiB`, `1T` → gluster's `10GB` form (binary units, as gluster reads them).
    static func quotaSize(_ text: String) throws(PluginError) -> String {
        let upper = text.uppercased()
        let digits = upper.prefix { $0.isNumber }
        var unit = String(upper.dropFirst(digits.count))
        if unit.hasSuffix("IB") {
            unit = String(unit.dropLast(2))
        } else if unit.hasSuffix("B") {
            unit = String(unit.dropLast())
        }
        guard let value = UInt64(digits), value > 0, ["", "K", "M", "G", "T", "P"].contains(unit) else {
            throw PluginError(.badOption, "-o size=\(text): give a size like 10G, 500M or 1T")
        }
        return unit.isEmpty ? "\(value)B" : "\(value)\(unit)B"
    }
}
