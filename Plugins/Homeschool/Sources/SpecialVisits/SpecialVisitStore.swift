import Foundation
import GRDB
import XinyuEventsAPI
import XinyuHomeschoolAPI
import XinyuPluginSDK

/// The payload of a special visit's due-day timer.
struct SpecialVisitDue: Codable, Sendable {
    let specialVisitID: Int64
}

/// Special visits: owed once per trigger, due within the configured days, escalated to the
/// school's psych lead when refused or overdue.
enum SpecialVisitStore {
    /// Fires the morning after an open special visit's due day.
    static let overdueTopic = "homeschool.special-visit.overdue"

    static func timerKey(_ id: Int64) -> String { "special-visit-\(id)" }

    /// Creates the special visit `trigger` owes, or returns the one it already created: the
    /// trigger column is unique, so an event delivered twice (or after a restart) owes one visit.
    /// Schedules its due-day timer in the same transaction.
    @discardableResult
    static func owe(_ db: Database, student: DirectoryStudent, trigger: String, reason: String, days: Int, context: CallContext) throws -> SpecialVisitRecord {
        if let existing = try SpecialVisitRecord.fetchOne(db, sql: "SELECT * FROM homeschool_special_visits WHERE trigger = ?", arguments: [trigger]) {
            return existing
        }
        let assignee = try context.directory.schoolClass(student.classID, in: db)?.homeroomTeacherID ?? ""
        let due = context.today.adding(days: days)
        try db.execute(sql: """
            INSERT INTO homeschool_special_visits (student_id, school_id, class_id, trigger, reason, assignee_id, due_on, status, created_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [student.id, student.schoolID, student.classID, trigger, reason, assignee, due.description,
                             SpecialVisitStatus.open.requiredStoredText, context.nowMs])
        let id = db.lastInsertedRowID
        // Overdue from the first moment of the day after the due day, in the city's calendar.
        try context.schedule(at: context.calendar.start(of: due.adding(days: 1)), topic: overdueTopic,
                             payload: SpecialVisitDue(specialVisitID: id), key: timerKey(id), in: db)
        return try SpecialVisitRecord.find(db, id: id)!
    }

    /// Marks the special visit escalated and publishes `homeschool.special_visit.escalated` for
    /// the school's psych lead, in the caller's transaction.
    static func escalate(_ db: Database, _ visit: SpecialVisitRecord, cause: String, reason: String, context: CallContext) throws {
        let now = context.nowMs
        try db.execute(sql: "UPDATE homeschool_special_visits SET escalated_at_ms = ?, escalation_reason = ? WHERE id = ?",
                       arguments: [now, reason, visit.id])
        var event = Xinyu_Events_V1_SpecialVisitEscalated()
        event.specialVisitID = String(visit.id)
        event.studentID = visit.studentID
        event.schoolID = visit.schoolID
        event.classID = visit.classID
        event.cause = cause
        event.notifyRole = "psych_teacher"
        event.escalatedAtMs = now
        try context.publish(HomeschoolTopics.specialVisitEscalated, event, in: db)
    }

    /// Closes the special visit with `status` (done or refused) and the visit that answered it;
    /// its timer is moot.
    static func close(_ db: Database, id: Int64, status: SpecialVisitStatus, visitID: Int64, context: CallContext) throws {
        try db.execute(sql: "UPDATE homeschool_special_visits SET status = ?, visit_id = ? WHERE id = ?",
                       arguments: [status.requiredStoredText, visitID, id])
        try context.cancelTimer(key: timerKey(id), in: db)
    }
}
