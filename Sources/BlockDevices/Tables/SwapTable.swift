/// Active swap areas (`/proc/swaps`), parsed.
public struct SwapTable: Sendable, Hashable {
    /// The swap files and devices as the kernel names them (`/dev/vdb2`, `/swapfile`).
    public var paths: [String]

    public init(procSwaps text: String) {
        paths = text.split(separator: "\n").dropFirst().compactMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map { decodeOctalEscapes($0) }
        }
    }

    public func contains(path: String) -> Bool { paths.contains(path) }
}
