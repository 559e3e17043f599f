import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// "Needs a case" items (待建档) that detection created when the city configures
/// `[detection] creates = "needs_case"`: a student at level 1–2 whom someone must take on, due at
/// the assignment deadline counted from detection. Shown as a case to assign (OpenCase turns the
/// item into the case). A city-wide caller owes only those at the city tier.
struct CaseNeedsSource: WorkSource {
    var permission: String { CrisisPermissions.caseWrite }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("n")
        var sql = """
            SELECT n.id, n.student_id, n.school_id, n.level, n.detected_at_ms, n.due_at_ms FROM crisis_case_needs n
            WHERE n.status = 'open' AND \(scope.sql)
            """
        if caller.cityWide { sql += " AND n.tier = 3" }
        let rows = try Row.fetchAll(db, sql: sql, arguments: scope.arguments)
        return rows.map { row in
            let level: Int = row["level"]
            return .make(.caseToAssign, ref: "need-\(row["id"] as Int64)", student: row["student_id"], school: row["school_id"], level: level,
                         dueAtMs: row["due_at_ms"], sinceMs: row["detected_at_ms"],
                         what: "level \(level) detected: needs a case (OpenCase)")
        }
    }
}
