import GRDB
import XinyuCrisisAPI
import XinyuEventsAPI
import XinyuCrisisCore
import XinyuPluginSDK

/// The current warning level per student and the history of every change.
///
/// Every write goes through ``change(_:student:from:to:explanation:reason:evidence:source:context:timings:)``
/// so that no level is ever set without its explanation, a history row and, when the level
/// moved, a `crisis.level.changed` event in the same transaction.
enum LevelStore {
    /// How a level was reached; stored as declared in `CrisisStatuses.swift` ("screening", "staff", "removal").
    typealias Source = Xinyu_Crisis_V1_LevelSource

    static let columns = "student_id, school_id, class_id, level, explanation, since_day, review_due, source, updated_by, updated_at_ms"

    /// The stored level row of a student, or nil when the student was never in the database.
    static func current(_ db: Database, studentID: String) throws -> WarningLevelMessage? {
        try LevelRecord.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM crisis_levels WHERE student_id = ?"), arguments: [studentID])?.message
    }

    /// Current levels of many students (one query), keyed by id; absent = level 0.
    static func currentLevels(_ db: Database, studentIDs: [String]) throws -> [String: Int] {
        let statement = try db.cachedStatement(sql: "SELECT student_id, level FROM crisis_levels WHERE student_id IN (SELECT value FROM json_each(?))")
        var result: [String: Int] = [:]
        let rows = try Row.fetchCursor(statement, arguments: [JSONText.strings(studentIDs)])
        while let row = try rows.next() { result[row["student_id"]] = row["level"] }
        return result
    }

    /// A student who was never in the warning database: level 0.
    static func none(_ student: StudentFacts) -> WarningLevelMessage {
        var m = WarningLevelMessage()
        m.studentID = student.id
        m.schoolID = student.schoolID
        m.classID = student.classID
        m.level = 0
        m.explanation = "not in the warning database (未预警)"
        return m
    }

    /// Sets a level (or confirms it when `to == from`), records the change and publishes
    /// `crisis.level.changed` when the level moved. The review date restarts from today.
    @discardableResult
    static func change(
        _ db: Database, student: StudentFacts, from: Int, to level: Int, explanation: String, reason: String,
        evidence: String, source: Source, context: CallContext, timings: CrisisTimings
    ) throws -> WarningLevelMessage {
        let now = context.nowMs
        let today = context.today
        let reviewDue = level > 0 ? today.adding(days: timings.reviewIntervalDays[level] ?? 30).description : ""
        // "since" moves only when the level moves: a confirmation keeps the original date.
        try db.cachedStatement(sql: """
            INSERT INTO crisis_levels (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (student_id) DO UPDATE SET
                school_id = excluded.school_id, class_id = excluded.class_id, level = excluded.level,
                explanation = excluded.explanation,
                since_day = CASE WHEN crisis_levels.level = excluded.level THEN crisis_levels.since_day ELSE excluded.since_day END,
                review_due = excluded.review_due, source = excluded.source,
                updated_by = excluded.updated_by, updated_at_ms = excluded.updated_at_ms
            """).execute(arguments: [
                student.id, student.schoolID, student.classID, level, explanation, today.description, reviewDue,
                source.requiredStoredText, context.principal.id, now,
            ])
        try db.cachedStatement(sql: """
            INSERT INTO crisis_level_changes (student_id, school_id, class_id, from_level, to_level, explanation, reason, evidence, source, changed_by, changed_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                student.id, student.schoolID, student.classID, from, level, explanation, reason, evidence,
                source.requiredStoredText, context.principal.id, now,
            ])
        if from != level {
            var event = Xinyu_Events_V1_LevelChanged()
            event.studentID = student.id
            event.schoolID = student.schoolID
            event.fromLevel = Int32(from)
            event.toLevel = Int32(level)
            event.reason = reason
            event.changedBy = context.principal.id
            event.changedAtMs = now
            try context.publish(CrisisTopics.levelChanged, event, in: db)
        }
        guard let stored = try current(db, studentID: student.id) else {
            preconditionFailure("the level row was written in this transaction")
        }
        return stored
    }
}
