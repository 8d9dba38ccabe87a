extension FstabFile {
    /// Adds `entry` as a new last line.
    ///
    /// The previous last line gets its `\n` first, so the new entry never runs on from it. The new
    /// line follows the file's conventions: its predominant field separator (tab unless most entries
    /// use spaces), a `\r` when most lines end in CRLF, and a final `\n` only if the file had one —
    /// so removing the entry again gives back the original bytes.
    public mutating func add(_ entry: FstabEntry) {
        let style = Style(of: self)
        let endsWithNewline = lines.isEmpty ? true : self.endsWithNewline
        setLines(lines + [.entry(entry, text: style.render(entry))], endsWithNewline: endsWithNewline)
    }

    /// This file with `entry` added as a new last line (see `add(_:)`).
    public func adding(_ entry: FstabEntry) -> FstabFile {
        var copy = self
        copy.add(entry)
        return copy
    }

    /// Adds a line exactly as given (a comment, or an entry written by hand); it is read like any line.
    ///
    /// - Precondition: `text` holds no `\n`.
    public mutating func addLine(_ text: String) {
        precondition(!text.utf8.contains(UInt8(ascii: "\n")), "an fstab line cannot contain a newline")
        let endsWithNewline = lines.isEmpty ? true : self.endsWithNewline
        setLines(lines + [FstabLine(parsing: text)], endsWithNewline: endsWithNewline)
    }

    /// Replaces the entry mounting at `mountPoint` with `entry`, in place; returns whether one was found.
    ///
    /// The first matching line is replaced where it stands and any later lines for the same mount
    /// point are removed, so exactly one remains. When the first match already equals `entry`, its
    /// original text is kept (an edit that changes nothing changes no bytes). A replaced line keeps
    /// its `\r` if it had one.
    @discardableResult
    public mutating func replace(mountPoint: String, with entry: FstabEntry) -> Bool {
        let matches = lines.indices.filter { lines[$0].entry?.mounts(at: mountPoint) == true }
        guard let first = matches.first else { return false }
        var newLines = lines
        if newLines[first].entry != entry {
            let style = Style(of: self)
            let crlf = newLines[first].text.utf8.last == UInt8(ascii: "\r")
            newLines[first] = .entry(entry, text: style.render(entry, crlf: crlf))
        }
        for index in matches.dropFirst().reversed() {
            newLines.remove(at: index)
        }
        setLines(newLines, endsWithNewline: endsWithNewline)
        return true
    }

    /// This file with the entry for `mountPoint` replaced by `entry` (see `replace(mountPoint:with:)`).
    public func replacing(mountPoint: String, with entry: FstabEntry) -> FstabFile {
        var copy = self
        copy.replace(mountPoint: mountPoint, with: entry)
        return copy
    }

    /// Replaces the entry with `entry`'s mount point in place, or adds `entry` when there is none.
    public mutating func upsert(_ entry: FstabEntry) {
        if !replace(mountPoint: entry.mountPoint, with: entry) {
            add(entry)
        }
    }

    /// This file with `entry` replaced in place or added (see `upsert(_:)`).
    public func upserting(_ entry: FstabEntry) -> FstabFile {
        var copy = self
        copy.upsert(entry)
        return copy
    }

    /// Removes every entry for which `shouldRemove` is true; returns how many lines were removed.
    @discardableResult
    public mutating func remove(where shouldRemove: (FstabEntry) throws -> Bool) rethrows -> Int {
        var kept: [FstabLine] = []
        kept.reserveCapacity(lines.count)
        for line in lines {
            if let entry = line.entry, try shouldRemove(entry) { continue }
            kept.append(line)
        }
        let removed = lines.count - kept.count
        setLines(kept, endsWithNewline: endsWithNewline)
        return removed
    }

    /// This file without the entries for which `shouldRemove` is true.
    public func removing(where shouldRemove: (FstabEntry) throws -> Bool) rethrows -> FstabFile {
        var copy = self
        try copy.remove(where: shouldRemove)
        return copy
    }

    /// Removes every entry mounting at `mountPoint`; returns how many lines were removed.
    @discardableResult
    public mutating func remove(mountPoint: String) -> Int {
        remove { $0.mounts(at: mountPoint) }
    }

    /// This file without the entries mounting at `mountPoint`.
    public func removing(mountPoint: String) -> FstabFile {
        removing { $0.mounts(at: mountPoint) }
    }
}

extension FstabFile {
    /// How new lines are written so they look like the file's existing ones.
    struct Style {
        /// A tab, or a single space when most existing entries separate their first fields with spaces.
        var separator: String
        /// Whether most lines end in `\r` (a CRLF file).
        var crlf: Bool

        init(of file: FstabFile) {
            var tabs = 0
            var spaces = 0
            var crlfLines = 0
            for line in file.lines {
                if line.text.utf8.last == UInt8(ascii: "\r") { crlfLines += 1 }
                guard case .entry(_, let text) = line else { continue }
                let bytes = Array(text.utf8)
                let start = bytes.firstIndex { !FstabEntry.isBlank($0) } ?? bytes.endIndex
                let afterSpec = bytes[start...].firstIndex(where: FstabEntry.isBlank) ?? bytes.endIndex
                let gapEnd = bytes[afterSpec...].firstIndex { !FstabEntry.isBlank($0) } ?? bytes.endIndex
                if bytes[afterSpec..<gapEnd].contains(UInt8(ascii: "\t")) { tabs += 1 } else { spaces += 1 }
            }
            separator = spaces > tabs ? " " : "\t"
            crlf = crlfLines * 2 > file.lines.count
        }

        func render(_ entry: FstabEntry, crlf: Bool? = nil) -> String {
            entry.line(separator: separator) + ((crlf ?? self.crlf) ? "\r" : "")
        }
    }
}
