import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Open cases without an owner (待分配), due at their assignment deadline. A city-wide caller
/// owes only those escalated to the city tier.
struct CasesToAssignSource: WorkSource {
    var permission: String { CrisisPermissions.caseWrite }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("c")
        var sql = """
            SELECT c.id, c.student_id, c.school_id, c.level, c.tier, c.opened_at_ms, c.assign_due_at_ms FROM crisis_cases c
            WHERE c.status = ? AND c.owner_id IS NULL AND \(scope.sql)
            """
        if caller.cityWide { sql += " AND c.tier = 3" }
        let rows = try Row.fetchAll(db, sql: sql, arguments: [CaseStatus.open.requiredStoredText] + scope.arguments)
        return rows.map { row in
            let level: Int = row["level"]
            let tier = ["", "class", "school", "city"][min(3, max(0, row["tier"] as Int))]
            return .make(.caseToAssign, ref: String(row["id"] as Int64), student: row["student_id"], school: row["school_id"], level: level,
                         dueAtMs: row["assign_due_at_ms"], sinceMs: row["opened_at_ms"],
                         what: "level \(level) case at the \(tier) tier has no owner")
        }
    }
}
