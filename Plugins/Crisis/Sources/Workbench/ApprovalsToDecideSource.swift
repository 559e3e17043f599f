import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Pending approvals (待审批: plan, closure, removal) in the caller's scope that the caller may
/// decide: not their own requests, on a case still open or, for a removal, on a student who never
/// had a case. No deadline; oldest request first. The scope is the approval's student, so a
/// removal without a case is on the workbench like any other.
struct ApprovalsToDecideSource: WorkSource {
    var permission: String { CrisisPermissions.planApprove }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("a")
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.subject, a.requested_at_ms, a.student_id, a.school_id,
                   COALESCE(c.level, l.level, 0) AS level FROM crisis_approvals a
            LEFT JOIN crisis_cases c ON c.id = a.case_id
            LEFT JOIN crisis_levels l ON l.student_id = a.student_id
            WHERE a.status = ? AND a.requested_by <> ? AND (a.case_id IS NULL OR c.status = ?) AND \(scope.sql)
            """, arguments: [ApprovalStatus.pending.requiredStoredText, caller.principalID, CaseStatus.open.requiredStoredText] + scope.arguments)
        return rows.map { row in
            let subject: String = row["subject"]
            return .make(.approvalToDecide, ref: String(row["id"] as Int64), student: row["student_id"], school: row["school_id"], level: row["level"],
                         dueAtMs: 0, sinceMs: row["requested_at_ms"], what: "\(subject) approval to decide")
        }
    }
}
