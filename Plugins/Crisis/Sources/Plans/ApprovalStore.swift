import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Supervisor approvals (审批) of plans, closures and removals from the warning database.
enum ApprovalStore {
    /// Opens a pending approval, or reuses the pending one for the same student, case and
    /// subject (a plan saved again moves its pending approval to the new version).
    @discardableResult
    static func request(
        _ db: Database, caseID: Int64?, student: StudentFacts, subject: ApprovalSubject, reason: String, planVersion: Int = 0,
        context: CallContext
    ) throws -> Int64 {
        let pending = ApprovalStatus.pending.requiredStoredText
        if let existing = try Int64.fetchOne(db, sql: """
            SELECT id FROM crisis_approvals WHERE student_id = ? AND case_id IS ? AND subject = ? AND status = ?
            """, arguments: [student.id, caseID, subject.requiredStoredText, pending]) {
            try db.execute(sql: "UPDATE crisis_approvals SET reason = ?, requested_by = ?, requested_at_ms = ?, plan_version = ? WHERE id = ?",
                           arguments: [reason, context.principal.id, context.nowMs, planVersion, existing])
            return existing
        }
        try db.execute(sql: """
            INSERT INTO crisis_approvals (case_id, student_id, school_id, class_id, subject, status, reason, requested_by, requested_at_ms, plan_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [caseID, student.id, student.schoolID, student.classID, subject.requiredStoredText, pending, reason,
                             context.principal.id, context.nowMs, planVersion])
        return db.lastInsertedRowID
    }

    static func all(_ db: Database, caseID: Int64) throws -> [Xinyu_Crisis_V1_Approval] {
        try ApprovalRecord.fetchAll(db, sql: "SELECT * FROM crisis_approvals WHERE case_id = ? ORDER BY id", arguments: [caseID]).map(\.message)
    }

    static func fetch(_ db: Database, id: Int64) throws -> ApprovalRecord? {
        try ApprovalRecord.fetchOne(db, sql: "SELECT * FROM crisis_approvals WHERE id = ?", arguments: [id])
    }
}
