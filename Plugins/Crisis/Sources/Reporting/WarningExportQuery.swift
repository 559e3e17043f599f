import Foundation
import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// The warning database as export rows for a period `from`…`to`, as it stood then: each
/// student's level on `to` replayed from the level history (`LevelInPeriod`), how it moved within
/// the period, and the students removed (解除预警) within it; within the caller's scope (and one
/// school, if given). Names, genders, birth dates, national student numbers and schools come from
/// the directory as it is now; the case owner and plan status are those of the open case now.
enum WarningExportQuery {
    static func rows(_ db: Database, from: CalendarDay, to: CalendarDay, schoolID: String, context: CallContext) throws -> [WarningExportRow] {
        // Every change up to the end of `to` in the city's time zone, oldest first per student.
        let endMs = Int64(context.calendar.start(of: to.adding(days: 1)).timeIntervalSince1970 * 1000)
        let scope = context.crisisScope("h")
        var sql = """
            SELECT h.student_id, h.from_level, h.to_level, h.explanation, h.changed_at_ms FROM crisis_level_changes h
            WHERE h.changed_at_ms < ? AND \(scope.sql)
            """
        var arguments: StatementArguments = [endMs]
        arguments += scope.arguments
        if !schoolID.isEmpty { sql += " AND \(context.crisisSchoolFilter("h"))"; arguments += [schoolID] }
        sql += " ORDER BY h.student_id, h.id"
        var changes: [String: [LevelChangeFact]] = [:]
        for r in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let day = context.calendar.day(of: Date(timeIntervalSince1970: Double(r["changed_at_ms"] as Int64) / 1000))
            changes[r["student_id"], default: []].append(LevelChangeFact(day: day, fromLevel: r["from_level"], toLevel: r["to_level"], explanation: r["explanation"]))
        }
        let reported = changes.compactMapValues { LevelInPeriod.replay($0, from: from, to: to) }
        // Names, genders, birth dates and national numbers come from the directory in one batch
        // read; a student the directory no longer has is left out, as the format needs them.
        let students = try context.directory.students(reported.keys, in: db)
        let schools = try context.directory.schools(Set(students.values.map(\.schoolID)), in: db)
        let cases = try openCases(db, studentIDs: Array(reported.keys))
        let rows = reported.compactMap { id, level -> WarningExportRow? in
            guard let student = students[id] else { return nil }
            let open = cases[id]
            return WarningExportRow(
                studentID: student.id, nationalStudentID: student.nationalStudentID, name: student.name,
                gender: ExportGender.text(directoryGender: student.gender), birthDate: student.birthDate,
                schoolID: student.schoolID, schoolName: schools[student.schoolID]?.name ?? "", classID: student.classID,
                level: level.level, since: level.since.description, reason: level.explanation, caseOwner: open?.owner ?? "",
                planStatus: planStatus(open?.plan ?? ""), change: level.change.rawValue)
        }
        // Most severe first, the removed last; then school and student.
        let sorted = rows.sorted { ($0.level == 0 ? 4 : $0.level, $0.schoolID, $0.studentID) < ($1.level == 0 ? 4 : $1.level, $1.schoolID, $1.studentID) }
        context.touched(subjects: sorted.map(\.studentID))
        return sorted
    }

    /// The owner and stored plan status of each student's open case, by student.
    private static func openCases(_ db: Database, studentIDs: [String]) throws -> [String: (owner: String, plan: String)] {
        guard !studentIDs.isEmpty else { return [:] }
        var result: [String: (owner: String, plan: String)] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT c.student_id, COALESCE(c.owner_id, '') AS owner_id, COALESCE(p.status, '') AS plan_status
            FROM crisis_cases c LEFT JOIN crisis_plans p ON p.case_id = c.id
            WHERE c.status = ? AND c.student_id IN (SELECT value FROM json_each(?))
            """, arguments: [CaseStatus.open.requiredStoredText, JSONText.strings(studentIDs)]) {
            result[r["student_id"]] = (r["owner_id"], r["plan_status"])
        }
        return result
    }

    /// The export's plan column: "active", "pending_approval", "rejected" or "none" (no plan, '').
    static func planStatus(_ stored: String) -> String {
        switch PlanStatus(storedText: stored) {
        case .approved: "active"
        case .pendingApproval: "pending_approval"
        case .rejected: "rejected"
        default: "none"
        }
    }
}
