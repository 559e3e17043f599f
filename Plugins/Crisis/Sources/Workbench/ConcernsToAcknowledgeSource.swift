import GRDB
import XinyuCrisisAPI
import XinyuPluginSDK

/// Heart-grid concerns waiting for acknowledgement (待确认): open ones in the caller's scope (due
/// at the acknowledgement deadline), and escalated ones on a list the caller owns: the school
/// psych lead's (due when it moves on to the growth centre) or, for a city-wide caller, the
/// growth centre's (overdue since the acknowledgement deadline).
struct ConcernsToAcknowledgeSource: WorkSource {
    var permission: String { CrisisPermissions.concernAck }

    func items(_ db: Database, for caller: WorkbenchCaller) throws -> [Xinyu_Crisis_V1_WorkItem] {
        let scope = caller.scope("k")
        let escalated = ConcernStatus.escalated.requiredStoredText
        var sql = """
            SELECT k.id, k.student_id, k.school_id, k.status, k.raised_at_ms, k.acknowledge_due_ms, k.escalated_to, k.centre_due_ms,
                   COALESCE(l.level, 0) AS level
            FROM crisis_concerns k LEFT JOIN crisis_levels l ON l.student_id = k.student_id WHERE \(scope.sql) AND
            """
        var arguments = scope.arguments
        if caller.cityWide {
            sql += " k.status = ? AND (k.escalated_to = ? OR k.owner_id = ?)"
            arguments += [escalated, ConcernOwner.growthCentre.requiredStoredText, caller.staffID]
        } else {
            sql += " (k.status = ? OR (k.status = ? AND k.owner_id = ?))"
            arguments += [ConcernStatus.open.requiredStoredText, escalated, caller.staffID]
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let onLeadList = ConcernStatus(storedText: row["status"]) == .escalated && ConcernOwner(storedText: row["escalated_to"]) == .schoolPsychLead
            let what = switch ConcernOwner(storedText: row["escalated_to"]) {
            case .schoolPsychLead?: "concern escalated to the school's psych lead"
            case .growthCentre?: "concern escalated to the growth centre"
            default: "concern to acknowledge"
            }
            return .make(.concernToAcknowledge, ref: String(row["id"] as Int64), student: row["student_id"], school: row["school_id"],
                         level: row["level"], dueAtMs: onLeadList ? row["centre_due_ms"] : row["acknowledge_due_ms"],
                         sinceMs: row["raised_at_ms"], what: what)
        }
    }
}
