import Foundation
import GRDB
import XinyuAudit
import XinyuStore

extension HostServer {
    /// Opens the audit trail in its own database file (owner-only), moving a trail that an
    /// older host kept in the main database into it on the first start.
    ///
    /// The trail has a file of its own because SQLite has one write lock per file: every call
    /// the host serves appends an entry, and while an audit batch held the shared file's lock
    /// the plugins' writes waited behind it, more so as the trail grew (issue 5, W2).
    func openAuditTrail(mainDatabasePath: String) throws -> AuditTrail {
        let path = configuration.effectiveAuditDatabasePath
        let database: SharedDatabase
        do {
            database = try DatabaseStartChecks.open(path, setting: "security.audit_database", hostVersion: HostStatusService.version)
        } catch let refusal as StartupRefusal {
            throw refusal
        } catch {
            let reason = (error as? DatabaseError)?.message ?? (error as NSError).localizedDescription
            throw ConfigurationError("security.audit_database: cannot open the audit trail at \(path): \(reason)")
        }
        try database.migrateCore()
        let trail = try AuditTrail(database: database, keyFile: configuration.auditKeyFile, retentionDays: configuration.auditRetentionDays, logger: logger)
        if URL(fileURLWithPath: path).standardizedFileURL != URL(fileURLWithPath: mainDatabasePath).standardizedFileURL {
            let moved = try trail.log.adoptLegacyTrail(from: mainDatabasePath)
            if moved > 0 {
                logger.notice("moved the audit trail to its own database", metadata: ["entries": "\(moved)", "audit_database": "\(path)"])
            }
        }
        return trail
    }
}

extension HostServer {
    /// Opens a database file the host owns and makes it, its WAL and its shared-memory file
    /// owner-only. A file made by an older build (or under a lax umask) is tightened at every start.
    static func openOwnerOnly(_ path: String) throws -> SharedDatabase {
        let database = try SharedDatabase.open(path: path)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            chmod(path + suffix, 0o600)
        }
        return database
    }
}

