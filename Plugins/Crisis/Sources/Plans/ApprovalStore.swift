import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Supervisor approvals (审批) of plans, closures and removals from the warning database.
enum ApprovalStore {
    /// Opens a pending approval, or reuses the pending one for the same case and subject.
    @discardableResult
    static func request(_ db: Database, caseID: Int64, subject: ApprovalSubject, reason: String, context: CallContext) throws -> Int64 {
        let pending = ApprovalStatus.pending.requiredStoredText
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM crisis_approvals WHERE case_id = ? AND subject = ? AND status = ?",
                                                 arguments: [caseID, subject.requiredStoredText, pending]) {
            try db.execute(sql: "UPDATE crisis_approvals SET reason = ?, requested_by = ?, requested_at_ms = ? WHERE id = ?",
                           arguments: [reason, context.principal.id, context.nowMs, existing])
            return existing
        }
        try db.execute(sql: """
            INSERT INTO crisis_approvals (case_id, subject, status, reason, requested_by, requested_at_ms) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [caseID, subject.requiredStoredText, pending, reason, context.principal.id, context.nowMs])
        return db.lastInsertedRowID
    }

    static func all(_ db: Database, caseID: Int64) throws -> [Xinyu_Crisis_V1_Approval] {
        try ApprovalRecord.fetchAll(db, sql: "SELECT * FROM crisis_approvals WHERE case_id = ? ORDER BY id", arguments: [caseID]).map(\.message)
    }
}
