import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Safety reviews owed (安全题复核): a screening whose safety questions (PHQ-A item 9, an extra)
/// were left unanswered, due within the policy's time (default a day). Shown as a review due;
/// recorded with RecordSafetyReview.
struct SafetyReviewsDueSource: WorkSource {
    var permission: String { CrisisPermissions.levelWrite }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("r")
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.id, r.student_id, r.school_id, r.requested_at_ms, r.due_at_ms, COALESCE(l.level, 0) AS level
            FROM crisis_safety_reviews r LEFT JOIN crisis_levels l ON l.student_id = r.student_id
            WHERE r.status = 'open' AND \(scope.sql)
            """, arguments: scope.arguments)
        return rows.map { row in
            .make(.reviewDue, ref: "safety-\(row["id"] as Int64)", student: row["student_id"], school: row["school_id"], level: row["level"],
                  dueAtMs: row["due_at_ms"], sinceMs: row["requested_at_ms"],
                  what: "safety review: safety questions left unanswered (RecordSafetyReview)")
        }
    }
}
