import Foundation

/// A small tmpfs of the test's own, for filling a disk up for real (SQLite then reports
/// SQLITE_FULL as it would on a full production disk). Mounting needs root (CAP_SYS_ADMIN):
/// CI runs as root; elsewhere the test that needs it is skipped with ``unavailableReason``.
struct ScratchTmpfs: Sendable {
    let path: String

    /// Mounts a new tmpfs of `bytes` on a new folder under the temporary directory.
    static func mount(bytes: Int) throws -> ScratchTmpfs {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xinyu-tmpfs-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard Glibc.mount("tmpfs", path, "tmpfs", 0, "size=\(bytes),mode=0700") == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: path)
            throw MountRefused(reason: reason)
        }
        return ScratchTmpfs(path: path)
    }

    /// Unmounts (lazily, should a file still be open) and removes the folder.
    func unmount() {
        _ = umount2(path, Int32(MNT_DETACH))
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Bytes an unprivileged writer can still use.
    var freeBytes: Int {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Nil when this process can mount a tmpfs; otherwise why not (checked once, by trying).
    static let unavailableReason: String? = {
        do {
            try mount(bytes: 1 << 20).unmount()
            return nil
        } catch {
            return "\(error)"
        }
    }()

    struct MountRefused: Error, CustomStringConvertible {
        let reason: String
        var description: String { "mounting a tmpfs was refused (\(reason)); it needs root (CAP_SYS_ADMIN)" }
    }
}
