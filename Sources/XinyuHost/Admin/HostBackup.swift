import Foundation
import GRDB
import XinyuStore

/// Online backup of the host's two database files into a folder, while the host serves.
///
/// Each file is copied with SQLite's backup API in one step inside one read transaction, so
/// each copy is one consistent snapshot and no writer waits for it (WAL). The two snapshots are
/// taken one after the other, main first: the audit copy may hold entries for calls a few
/// milliseconds newer than the main copy, never fewer entries than data changes it explains
/// (audit entries of a call are written after the call's own commit).
struct HostBackup: Sendable {
    /// The shared database and where it lives (`host.database`).
    let main: SharedDatabase
    /// The audit trail's database (`security.audit_database`).
    let audit: SharedDatabase
    /// `security.audit_key_file`: named in the answer and the manifest, never copied.
    let auditKeyFile: String
    let hostVersion: String

    /// File names inside a backup folder, and the manifest's.
    static let mainName = "xinyu.sqlite"
    static let auditName = "audit.sqlite"
    static let manifestName = "BACKUP.txt"

    /// One file copied.
    struct Copied: Sendable {
        let role: String
        let path: String
        let bytes: UInt64
        let restoreTo: String
    }

    /// What a finished backup holds.
    struct Result: Sendable {
        let files: [Copied]
        let finishedAtMs: Int64
        let auditLastSequence: Int64
    }

    /// Problems with the folder the caller named, worded for the caller.
    enum FolderProblem: Error, Equatable {
        case notAbsolute(String)
        case cannotCreate(String, reason: String)
        case holdsBackup(String)
    }

    /// Copies both databases into `folder` (created owner-only when missing) and writes a manifest.
    /// Blocks the calling thread for as long as the copies take.
    func run(into folder: String) throws -> Result {
        guard folder.hasPrefix("/") else { throw FolderProblem.notAbsolute(folder) }
        let folderURL = URL(fileURLWithPath: folder).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw FolderProblem.cannotCreate(folderURL.path, reason: (error as NSError).localizedDescription)
        }
        let names = [Self.mainName, Self.auditName, Self.manifestName]
        if let existing = names.map({ folderURL.appendingPathComponent($0).path }).first(where: FileManager.default.fileExists(atPath:)) {
            throw FolderProblem.holdsBackup(existing)
        }
        var copied: [Copied] = []
        for (role, database, name) in [("main", main, Self.mainName), ("audit", audit, Self.auditName)] {
            let target = folderURL.appendingPathComponent(name).path
            let bytes = try database.backup(to: target)
            copied.append(Copied(role: role, path: target, bytes: bytes, restoreTo: URL(fileURLWithPath: database.path).standardizedFileURL.path))
        }
        let lastSequence = try Self.lastAuditSequence(in: copied[1].path)
        let finished = Int64(Date().timeIntervalSince1970 * 1000)
        let result = Result(files: copied, finishedAtMs: finished, auditLastSequence: lastSequence)
        try manifest(result).write(toFile: folderURL.appendingPathComponent(Self.manifestName).path, atomically: true, encoding: .utf8)
        return result
    }

    /// The highest audit sequence number in a copied audit file (0 when it has none).
    static func lastAuditSequence(in path: String) throws -> Int64 {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            try Int64.fetchOne(db, sql: "SELECT ifnull(max(sequence), 0) FROM audit_entries") ?? 0
        }
    }

    /// A plain-text note kept with the copies: what they are and how to put them back.
    func manifest(_ result: Result) -> String {
        let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(result.finishedAtMs) / 1000))
        var lines = [
            "Xinyu backup",
            "host_version = \(hostVersion)",
            "finished_at = \(when)",
            "audit_last_sequence = \(result.auditLastSequence)",
        ]
        for file in result.files {
            lines.append("\(file.role): \(URL(fileURLWithPath: file.path).lastPathComponent) (\(file.bytes) bytes) -> restore to \(file.restoreTo)")
        }
        lines += [
            "",
            "The audit chain in audit.sqlite is sealed with the key in \(auditKeyFile), which is NOT in this folder.",
            "Keep a copy of that key somewhere else (not beside these files); restoring needs it to verify the chain.",
            "Restore: stop the host; move the live files and their -wal/-shm aside; copy these files to the paths above",
            "(owner-only, owned by the host's user); put the key at security.audit_key_file; start; run `xinyu audit verify`.",
            "See docs/OPERATIONS.md, \"Back up and restore\".",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
