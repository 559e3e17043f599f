import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Warning levels whose review date (复评) is today or past. A review belongs to the owner of the
/// student's open case; without an owner, to the psych staff of the scope.
struct ReviewsDueSource: WorkSource {
    var permission: String { CrisisPermissions.levelWrite }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("l")
        let owned = caller.cityWide ? "c.owner_id = ?" : "(c.owner_id = ? OR c.owner_id IS NULL)"
        let rows = try Row.fetchAll(db, sql: """
            SELECT l.student_id, l.school_id, l.level, l.review_due FROM crisis_levels l
            LEFT JOIN crisis_cases c ON c.student_id = l.student_id AND c.status = ?
            WHERE l.level BETWEEN 1 AND 3 AND l.review_due <> '' AND l.review_due <= ? AND \(scope.sql) AND \(owned)
            """, arguments: [CaseStatus.open.requiredStoredText, caller.today.description] + scope.arguments + [caller.staffID])
        return rows.map { row in
            let due: String = row["review_due"]
            let level: Int = row["level"]
            return .make(.reviewDue, ref: row["student_id"], student: row["student_id"], school: row["school_id"], level: level,
                         dueAtMs: caller.endOfDayMs(due) ?? 0, sinceMs: caller.startOfDayMs(due) ?? 0,
                         what: "level \(level) review due \(due)")
        }
    }
}
