import GRDB
import XinyuCrisisCore
import XinyuPluginSDK

/// The warning database as export rows: students at level 1–3 whose level was set on or before
/// `to`, within the caller's scope (and one school, if given). `from` marks the reporting period.
enum WarningExportQuery {
    static func rows(_ db: Database, to: CalendarDay, schoolID: String, context: CallContext) throws -> [WarningExportRow] {
        let scope = context.crisisScope("l")
        var sql = """
            SELECT l.student_id, s.name, s.gender, s.birth_date, l.school_id, COALESCE(sc.name, '') AS school_name, l.class_id,
                   l.level, l.since_day, l.explanation, COALESCE(c.owner_id, '') AS owner_id, COALESCE(p.status, '') AS plan_status
            FROM crisis_levels l
            JOIN directory_students s ON s.id = l.student_id
            LEFT JOIN directory_schools sc ON sc.id = l.school_id
            LEFT JOIN crisis_cases c ON c.student_id = l.student_id AND c.status = 'open'
            LEFT JOIN crisis_plans p ON p.case_id = c.id
            WHERE l.level > 0 AND l.since_day <= ? AND \(scope.sql)
            """
        var arguments: StatementArguments = [to.description]
        arguments += scope.arguments
        if !schoolID.isEmpty { sql += " AND l.school_id = ?"; arguments += [schoolID] }
        sql += " ORDER BY l.level, l.school_id, l.student_id"
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments).map { r in
            WarningExportRow(
                studentID: r["student_id"], nationalStudentID: r["student_id"], name: r["name"], gender: r["gender"],
                birthDate: r["birth_date"], schoolID: r["school_id"], schoolName: r["school_name"], classID: r["class_id"],
                level: r["level"], since: r["since_day"], reason: r["explanation"], caseOwner: r["owner_id"],
                planStatus: Self.planStatus(r["plan_status"], hasCase: !(r["owner_id"] as String).isEmpty))
        }
        context.touched(subjects: rows.map(\.studentID))
        return rows
    }

    static func planStatus(_ stored: String, hasCase: Bool) -> String {
        switch stored {
        case "approved": "active"
        case "pending_approval": "pending_approval"
        case "rejected": "rejected"
        default: "none"
        }
    }
}
