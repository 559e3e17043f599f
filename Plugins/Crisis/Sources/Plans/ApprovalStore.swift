import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Supervisor approvals (审批) of plans, closures and removals from the warning database.
enum ApprovalStore {
    /// Opens a pending approval, or reuses the pending one for the same case and subject.
    @discardableResult
    static func request(_ db: Database, caseID: Int64, subject: String, reason: String, context: CallContext) throws -> Int64 {
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM crisis_approvals WHERE case_id = ? AND subject = ? AND status = 'pending'", arguments: [caseID, subject]) {
            try db.execute(sql: "UPDATE crisis_approvals SET reason = ?, requested_by = ?, requested_at_ms = ? WHERE id = ?",
                           arguments: [reason, context.principal.id, context.nowMs, existing])
            return existing
        }
        try db.execute(sql: """
            INSERT INTO crisis_approvals (case_id, subject, status, reason, requested_by, requested_at_ms) VALUES (?, ?, 'pending', ?, ?, ?)
            """, arguments: [caseID, subject, reason, context.principal.id, context.nowMs])
        return db.lastInsertedRowID
    }

    static func message(_ row: Row) -> Xinyu_Crisis_V1_Approval {
        var a = Xinyu_Crisis_V1_Approval()
        a.id = String(row["id"] as Int64)
        a.caseID = String(row["case_id"] as Int64)
        a.subject = Xinyu_Crisis_V1_ApprovalSubject(storedText: row["subject"]) ?? .unspecified
        a.status = Xinyu_Crisis_V1_ApprovalStatus(storedText: row["status"]) ?? .unspecified
        a.reason = row["reason"]
        a.requestedBy = row["requested_by"]
        a.requestedAtMs = row["requested_at_ms"]
        a.decidedBy = row["decided_by"]
        a.decidedAtMs = row["decided_at_ms"]
        a.comment = row["comment"]
        return a
    }

    static func all(_ db: Database, caseID: Int64) throws -> [Xinyu_Crisis_V1_Approval] {
        try Row.fetchAll(db, sql: "SELECT * FROM crisis_approvals WHERE case_id = ? ORDER BY id", arguments: [caseID]).map(message)
    }
}
