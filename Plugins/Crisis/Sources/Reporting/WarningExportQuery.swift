import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// The warning database as export rows: students at level 1–3 whose level was set on or before
/// `to`, within the caller's scope (and one school, if given). `from` marks the reporting period.
enum WarningExportQuery {
    static func rows(_ db: Database, to: CalendarDay, schoolID: String, context: CallContext) throws -> [WarningExportRow] {
        let scope = context.crisisScope("l")
        var sql = """
            SELECT l.student_id, l.school_id, l.class_id, l.level, l.since_day, l.explanation,
                   COALESCE(c.owner_id, '') AS owner_id, COALESCE(p.status, '') AS plan_status
            FROM crisis_levels l
            LEFT JOIN crisis_cases c ON c.student_id = l.student_id AND c.status = ?
            LEFT JOIN crisis_plans p ON p.case_id = c.id
            WHERE l.level > 0 AND l.since_day <= ? AND \(scope.sql)
            """
        var arguments: StatementArguments = [CaseStatus.open.requiredStoredText, to.description]
        arguments += scope.arguments
        if !schoolID.isEmpty { sql += " AND l.school_id = ?"; arguments += [schoolID] }
        sql += " ORDER BY l.level, l.school_id, l.student_id"
        let levels = try Row.fetchAll(db, sql: sql, arguments: arguments)
        // Names, genders and birth dates come from the directory, in two batch reads; a student
        // the directory no longer has is left out, as the provincial format needs them.
        let students = try context.directory.students(levels.map { $0["student_id"] as String }, in: db)
        let schools = try context.directory.schools(Set(levels.map { $0["school_id"] as String }), in: db)
        let rows = levels.compactMap { r -> WarningExportRow? in
            guard let student = students[r["student_id"]] else { return nil }
            let owner: String = r["owner_id"]
            return WarningExportRow(
                studentID: student.id, nationalStudentID: student.id, name: student.name, gender: student.gender,
                birthDate: student.birthDate, schoolID: r["school_id"], schoolName: schools[r["school_id"]]?.name ?? "", classID: r["class_id"],
                level: r["level"], since: r["since_day"], reason: r["explanation"], caseOwner: owner,
                planStatus: Self.planStatus(r["plan_status"], hasCase: !owner.isEmpty))
        }
        context.touched(subjects: rows.map(\.studentID))
        return rows
    }

    /// The export's plan column: "active", "pending_approval", "rejected" or "none" (no plan, '').
    static func planStatus(_ stored: String, hasCase: Bool) -> String {
        switch PlanStatus(storedText: stored) {
        case .approved: "active"
        case .pendingApproval: "pending_approval"
        case .rejected: "rejected"
        default: "none"
        }
    }
}
