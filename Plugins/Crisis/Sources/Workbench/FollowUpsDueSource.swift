import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Follow-ups (跟踪) due today or overdue and not recorded. One belongs to the owner of its
/// case; without an owner (or a case), to the psych staff of the scope. A closed case's
/// follow-ups are moot and not listed.
struct FollowUpsDueSource: WorkSource {
    var permission: String { CrisisPermissions.caseWrite }

    /// The query; arguments: today, the scope's, the open status, the caller's staff id.
    ///
    /// For a school or class scope the students in scope now (a few thousand at most) drive the
    /// query through `crisis_follow_ups_by_student`; the unary `+` keeps SQLite from scanning
    /// every due follow-up in the city by `crisis_follow_ups_due` and filtering (5 ms of the
    /// workbench's 20 ms at 200,000 students, docs/PERFORMANCE.md "W-work"). A city-wide caller
    /// has no student list, and there the due index is the right one.
    static func sql(scope: String, cityWide: Bool) -> String {
        let owned = cityWide ? "c.owner_id = ?" : "(c.owner_id = ? OR c.owner_id IS NULL)"
        let due = cityWide ? "f.done_on = '' AND f.due_on <= ?" : "+f.done_on = '' AND +f.due_on <= ?"
        return """
            SELECT f.id, f.student_id, f.school_id, f.due_on, f.origin, COALESCE(l.level, 0) AS level FROM crisis_follow_ups f
            LEFT JOIN crisis_cases c ON c.id = f.case_id
            LEFT JOIN crisis_levels l ON l.student_id = f.student_id
            WHERE \(due) AND \(scope) AND (c.id IS NULL OR c.status = ?) AND \(owned)
            """
    }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("f")
        let rows = try Row.fetchAll(db, sql: Self.sql(scope: scope.sql, cityWide: caller.cityWide),
                                    arguments: [caller.today.description] + scope.arguments + [CaseStatus.open.requiredStoredText, caller.staffID])
        return rows.map { row in
            let due: String = row["due_on"]
            let origin: String = row["origin"]
            return .make(.followUpDue, ref: String(row["id"] as Int64), student: row["student_id"], school: row["school_id"], level: row["level"],
                         dueAtMs: caller.endOfDayMs(due) ?? 0, sinceMs: caller.startOfDayMs(due) ?? 0,
                         what: "follow-up (\(origin)) due \(due)")
        }
    }
}
