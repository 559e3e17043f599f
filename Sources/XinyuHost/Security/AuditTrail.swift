import Crypto
import Foundation
import Logging
import XinyuAudit
import XinyuStore

/// The host's audit trail: every finished call goes through here into the hash-chained log.
///
/// Entries are batched by an `AuditWriter` (one transaction per batch, every few
/// milliseconds) so that auditing a read does not cost a database transaction per call; the
/// batch is flushed on shutdown. Retention runs once a day.
final class AuditTrail: Sendable {
    let log: AuditLog
    let writer: AuditWriter
    /// The trail's own database file (for backups).
    let database: SharedDatabase
    private let retentionDays: Int
    private let logger: Logger

    init(database: SharedDatabase, keyFile: String, retentionDays: Int, logger: Logger) throws {
        try database.migrate(owner: AuditLog.owner, AuditLog.migrations)
        let key: SymmetricKey
        do {
            key = try AuditLog.loadOrCreateKey(at: keyFile)
        } catch {
            throw ConfigurationError("security.audit_key_file: \(error)")
        }
        self.log = AuditLog(database: database, key: key)
        self.database = database
        self.writer = AuditWriter(log: log, logger: logger)
        self.retentionDays = retentionDays
        self.logger = logger
    }

    /// Records one finished call. Never blocks and never fails the call.
    func record(_ call: CallAudit) {
        writer.record(AuditEntry(
            time: call.time, principalID: call.principalID, principalKind: call.principalKind, source: call.source,
            method: call.method, outcome: call.outcome, detail: call.detail, subjects: call.subjects))
    }

    /// Runs the batch writer and the daily retention sweep until the writer is closed
    /// (``AuditWriter/stop()``) or the task is cancelled; the writer flushes what is left.
    func runUntilClosed() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writer.run() }
            group.addTask {
                while !Task.isCancelled {
                    await self.pruneExpired()
                    try? await Task.sleep(for: .seconds(86_400))
                }
            }
            // The sweep runs until cancelled, so the first to end is the writer (or both are cancelled).
            await group.next()
            group.cancelAll()
        }
    }

    func pruneExpired(now: Date = Date()) async {
        let cutoff = now.addingTimeInterval(-Double(retentionDays) * 86_400)
        do {
            let removed = try await log.prune(olderThan: cutoff)
            if removed > 0 { logger.info("audit retention: removed old entries", metadata: ["entries": "\(removed)", "retention_days": "\(retentionDays)"]) }
        } catch {
            logger.error("audit retention failed", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// Writes every buffered entry (shutdown).
    func close() async {
        await writer.close()
    }
}
