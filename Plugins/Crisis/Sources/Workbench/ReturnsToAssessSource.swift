import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Applications to return from leave (复学申请) not yet found fit: the return assessment is owed.
/// No deadline; oldest application first. The item's ref is the student id (GetLeave).
struct ReturnsToAssessSource: WorkSource {
    var permission: String { CrisisPermissions.leaveWrite }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("v")
        let rows = try Row.fetchAll(db, sql: """
            SELECT v.student_id, v.school_id, v.return_applied_on, COALESCE(l.level, 0) AS level FROM crisis_leaves v
            LEFT JOIN crisis_levels l ON l.student_id = v.student_id
            WHERE v.status = ? AND \(scope.sql)
            """, arguments: [LeaveStatus.returnApplied.requiredStoredText] + scope.arguments)
        return rows.map { row in
            let applied: String = row["return_applied_on"]
            return .make(.returnToAssess, ref: row["student_id"], student: row["student_id"], school: row["school_id"], level: row["level"],
                         dueAtMs: 0, sinceMs: caller.startOfDayMs(applied) ?? 0, what: "return applied for on \(applied)")
        }
    }
}
