import Foundation
import Glibc

extension BrickReplacement.NewDirectory {
    /// Looks at `path` on this host: missing or empty (and on a filesystem other than the root
    /// one), holding entries, or carrying a volume's attributes. The corresponding C functions
    /// are `stat` and `listxattr` (via `BrickReset`).
    public static func observe(path: String) -> Self {
        var isDirectory: ObjCBool = false
        let fm = FileManager.default
        var existing = path
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return .notADirectory }
            if let attributes = try? BrickReset(path: path).glusterAttributes(),
                attributes.contains("trusted.glusterfs.volume-id")
            {
                return .formerBrick
            }
            let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            if !entries.isEmpty { return .notEmpty(entries: entries.count) }
        } else {
            // glusterd creates the directory: judge the filesystem of its nearest existing parent.
            while !fm.fileExists(atPath: existing) && existing != "/" {
                existing = (existing as NSString).deletingLastPathComponent
                if existing.isEmpty { existing = "/" }
            }
        }
        var here = stat()
        var root = stat()
        guard stat(existing, &here) == 0, stat("/", &root) == 0 else { return .usable(onBrickDisk: false) }
        return .usable(onBrickDisk: here.st_dev != root.st_dev)
    }
}
