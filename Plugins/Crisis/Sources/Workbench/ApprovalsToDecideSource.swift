import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Pending approvals (待审批: plan, closure, removal) on cases in the caller's scope that the
/// caller may decide: not their own requests. No deadline; oldest request first.
struct ApprovalsToDecideSource: WorkSource {
    var permission: String { CrisisPermissions.planApprove }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("c")
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.subject, a.requested_at_ms, c.student_id, c.school_id, c.level FROM crisis_approvals a
            JOIN crisis_cases c ON c.id = a.case_id
            WHERE a.status = ? AND a.requested_by <> ? AND \(scope.sql)
            """, arguments: [ApprovalStatus.pending.requiredStoredText, caller.principalID] + scope.arguments)
        return rows.map { row in
            let subject: String = row["subject"]
            return .make(.approvalToDecide, ref: String(row["id"] as Int64), student: row["student_id"], school: row["school_id"], level: row["level"],
                         dueAtMs: 0, sinceMs: row["requested_at_ms"], what: "\(subject) approval to decide")
        }
    }
}
