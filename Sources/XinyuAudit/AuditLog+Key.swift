import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension AuditLog {
    /// The audit key at `path`: 32 random bytes, created with mode 0600 if the file does not exist.
    ///
    /// Keep the key outside the database and its backups' reach: whoever can read it and write the
    /// database can forge a chain that verifies. Losing it makes the existing trail unverifiable.
    /// Throws `AuditError.keyFileTooOpen` (telling the operator to `chmod 600` it) if group or others
    /// have any access, `AuditError.keyFileInvalid` if it does not hold exactly 32 bytes, and
    /// `AuditError.keyFileUnavailable` if it cannot be read or created.
    /// Safe when several processes start at once: the key file appears complete or not at all.
    public static func loadOrCreateKey(at path: String) throws -> SymmetricKey {
        if let key = try readKey(at: path) { return key }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AuditError.keyFileUnavailable(path: path, reason: "cannot create its folder: \(error)")
        }
        let key = SymmetricKey(size: .bits256)
        // Written beside it, then hard-linked into place: link() fails if the name exists, so a
        // process racing us either wins whole (and we read its key) or loses; nobody sees a half-written file.
        let temporary = folder.appendingPathComponent(".\(URL(fileURLWithPath: path).lastPathComponent).\(UUID().uuidString)").path
        defer { unlink(temporary) }
        try key.withUnsafeBytes { bytes in try writeNewFile(temporary, bytes: bytes, reportedPath: path) }
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST, let existing = try readKey(at: path) { return existing }
            throw AuditError.keyFileUnavailable(path: path, reason: systemMessage(code))
        }
        return key
    }

    /// The key at `path`, or nil if there is no file.
    private static func readKey(at path: String) throws -> SymmetricKey? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw AuditError.keyFileUnavailable(path: path, reason: systemMessage(code))
        }
        let mode = UInt16(info.st_mode & 0o777)
        guard mode & 0o077 == 0 else { throw AuditError.keyFileTooOpen(path: path, mode: mode) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditError.keyFileUnavailable(path: path, reason: "it cannot be read")
        }
        guard data.count == 32 else { throw AuditError.keyFileInvalid(path: path, size: data.count) }
        return SymmetricKey(data: data)
    }

    /// Creates `path` with mode 0600 (never wider, whatever the umask), writes `bytes` and syncs it.
    private static func writeNewFile(_ path: String, bytes: UnsafeRawBufferPointer, reportedPath: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AuditError.keyFileUnavailable(path: reportedPath, reason: systemMessage(errno)) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AuditError.keyFileUnavailable(path: reportedPath, reason: systemMessage(code))
            }
            offset += written
        }
        guard fsync(fd) == 0 else { throw AuditError.keyFileUnavailable(path: reportedPath, reason: systemMessage(errno)) }
    }

    private static func systemMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
