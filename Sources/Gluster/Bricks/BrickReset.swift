internal import CLinux
import Foundation
import Glibc

/// Makes a directory that was a brick of a deleted volume usable for a new one.
///
/// glusterd refuses such a directory ("already part of a volume") because of the extended
/// attributes the old volume left (`trusted.glusterfs.volume-id`, `trusted.gfid`, `trusted.afr.*`,
/// `trusted.glusterfs.dht*`) and its `.glusterfs` hard-link store. This removes exactly those; the
/// files in the directory stay. The corresponding C functions are `listxattr` and `removexattr`.
public struct BrickReset: Sendable {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    /// What a reset would remove (or removed).
    public struct Report: Sendable, Hashable {
        public var attributes: [String]
        public var removedGlusterfsStore: Bool
    }

    /// The Gluster attributes the directory carries now.
    ///
    /// - Throws: `BrickResetError` when the path is not a directory.
    public func glusterAttributes() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BrickResetError("\(path) is not a directory")
        }
        var buffer = [CChar](repeating: 0, count: 64 * 1024)
        let length = brickctl_xattr_list(path, &buffer, UInt(buffer.count))
        guard length >= 0 else {
            throw BrickResetError("cannot list the attributes of \(path): \(String(cString: strerror(errno)))")
        }
        let names = buffer[0..<length].split(separator: 0).map {
            String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return names.filter { Self.isGlusterAttribute($0) }.sorted()
    }

    /// Removes the old volume's attributes and `.glusterfs` store.
    ///
    /// - Parameter volumesUsingIt: volumes glusterd says have this brick now; the reset is
    ///   refused when there is any (reset would corrupt a live volume).
    /// - Throws: `BrickResetError`.
    public func run(volumesUsingIt: [String]) throws -> Report {
        if !volumesUsingIt.isEmpty {
            throw BrickResetError(
                "\(path) is a brick of volume \(volumesUsingIt.joined(separator: ", ")) now: refusing to reset it; remove the brick from the volume or delete the volume first"
            )
        }
        let attributes = try glusterAttributes()
        for name in attributes where brickctl_xattr_remove(path, name) != 0 && errno != ENODATA {
            throw BrickResetError("cannot remove \(name) from \(path): \(String(cString: strerror(errno)))")
        }
        let store = "\(path)/.glusterfs"
        let hadStore = FileManager.default.fileExists(atPath: store)
        if hadStore { try FileManager.default.removeItem(atPath: store) }
        return Report(attributes: attributes, removedGlusterfsStore: hadStore)
    }

    static func isGlusterAttribute(_ name: String) -> Bool {
        name == "trusted.gfid" || name.hasPrefix("trusted.glusterfs.") || name.hasPrefix("trusted.afr.")
            || name.hasPrefix("trusted.ec.") || name == "trusted.tier.tier-dht" || name.hasPrefix("trusted.gf")
    }
}

public struct BrickResetError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
