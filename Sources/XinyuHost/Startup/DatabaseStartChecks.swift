import Foundation
import GRDB
import XinyuStore

/// A reason the host refuses to start on a database file, in words an operator can act on.
public struct StartupRefusal: Error, CustomStringConvertible, Sendable {
    /// What is wrong and what to do about it.
    public let description: String
}

/// What the host checks about each of its database files before it migrates or serves anything:
/// that SQLite can read it, that it is sound, and that no newer release has written it.
enum DatabaseStartChecks {
    /// Opens `path` (owner-only), runs `PRAGMA quick_check`, and checks and stamps the release
    /// that writes it (``WriterVersionStamp``). `setting` names the configuration key of the file.
    static func open(_ path: String, setting: String, hostVersion: String) throws -> SharedDatabase {
        let database: SharedDatabase
        let problems: [String]
        do {
            database = try HostServer.openOwnerOnly(path)
            problems = try database.integrityProblems()
        } catch let error as DatabaseError where Self.isDamage(error) {
            throw damaged(path, setting: setting, problems: [error.message ?? "\(error.resultCode)"])
        }
        guard problems.isEmpty else { throw damaged(path, setting: setting, problems: problems) }
        do {
            try WriterVersionStamp.checkAndStamp(database, running: SoftwareVersion(hostVersion), nowMs: Int64(Date().timeIntervalSince1970 * 1000))
        } catch let error as StoreError {
            throw StartupRefusal(description: "\(setting): \(error.description)")
        }
        return database
    }

    /// SQLite's own words for a file that is not a database or whose pages are broken.
    static func isDamage(_ error: DatabaseError) -> Bool {
        [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode)
    }

    /// The refusal for a damaged file: what SQLite found, and the steps that recover from it.
    static func damaged(_ path: String, setting: String, problems: [String]) -> StartupRefusal {
        StartupRefusal(description: """
            \(setting): \(path) failed SQLite's integrity check (PRAGMA quick_check): \(problems.joined(separator: "; ")). \
            The host does not start on a damaged database. Keep the damaged file for inspection (move it, its -wal and \
            its -shm aside), then restore the latest backup as docs/OPERATIONS.md says ("Restore"); \
            `sqlite3 \(path) .recover` may save what was written since that backup.
            """)
    }
}
