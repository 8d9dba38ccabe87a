extension HealInfo {
    /// Decodes the plain-text answer of `gluster volume heal NAME statistics heal-count` (it has
    /// no XML form, even with `--xml`).
    ///
    /// The self-heal daemons count the entries of each brick's index (xattrop), so this answer
    /// costs nothing like glfsheal's (`heal info`, a gfapi client connecting to every brick). It
    /// has no split-brain or possibly-healing counts: a brick with 0 entries gets 0 for both (an
    /// entry in split-brain is an entry of the index), a brick with entries gets nil (unknown).
    /// A brick the daemons could not ask ("Status: Brick is not connected", "No gathered input
    /// for this brick") gets entries nil and the status text.
    ///
    /// - Returns: nil unless the answer says "has been successful" (a failed count, e.g. "Staging
    ///   failed on n2. Error: Self-heal daemon is not running", is printed on stderr instead).
    public static func decode(healCount text: String) -> HealInfo? {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard
            lines.contains(where: { $0.hasPrefix("Gathering count of entries") && $0.hasSuffix("has been successful") })
        else {
            return nil
        }
        var bricks: [Brick] = []
        for line in lines {
            if line.hasPrefix("Brick "), let address = BrickAddress(parsing: String(line.dropFirst(6))) {
                bricks.append(Brick(address: address, hostUUID: nil, status: "", entries: nil))
            } else if let last = bricks.indices.last {
                if line.hasPrefix("Number of entries:"),
                    let count = Int(line.dropFirst(18).trimmingCharacters(in: .whitespaces))
                {
                    bricks[last].entries = count
                    bricks[last].status = "Connected"
                    bricks[last].splitBrain = count == 0 ? 0 : nil
                    bricks[last].possiblyHealing = count == 0 ? 0 : nil
                } else if line.hasPrefix("Status:") {
                    bricks[last].status = line.dropFirst(7).trimmingCharacters(in: .whitespaces)
                } else if bricks[last].status.isEmpty && bricks[last].entries == nil && !line.isEmpty {
                    bricks[last].status = line
                }
            }
        }
        return HealInfo(bricks: bricks)
    }

    /// Every brick of `volume` was counted and none has anything to heal.
    public func isClean(for volume: VolumeInfo) -> Bool {
        unknown.isEmpty && total == 0 && Set(bricks.map(\.address)) == Set(volume.bricks.map(\.address))
    }
}
