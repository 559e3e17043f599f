import XinyuPluginSDK
import GRDB
import XinyuCrisisAPI
import XinyuCrisisCore

/// Scheduled and recorded follow-ups (随访) of cases and of returns after leave.
enum FollowUpStore {
    static let select = """
        SELECT f.*, c.owner_id AS owner_id FROM crisis_follow_ups f LEFT JOIN crisis_cases c ON c.id = f.case_id
        """

    /// Schedules `dates` for a student (and case, if any).
    static func schedule(_ db: Database, caseID: Int64?, student: StudentFacts, dates: [CalendarDay], origin: FollowUpOrigin) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT INTO crisis_follow_ups (case_id, student_id, school_id, class_id, due_on, origin) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for day in dates {
            try insert.execute(arguments: [caseID, student.id, student.schoolID, student.classID, day.description, origin.rawValue])
        }
    }

    static func forCase(_ db: Database, caseID: Int64) throws -> [FollowUpMessage] {
        try FollowUpRecord.fetchAll(db, sql: "\(select) WHERE f.case_id = ? ORDER BY f.due_on, f.id", arguments: [caseID]).map(\.message)
    }
}
