import GRDB

/// The handler work of the gRPC peer, the same SQL as the crisis plugin's GetWarningLevel and
/// RecordFollowUp, so that peer and host differ in protocol and server, not in work done.
public enum BenchQueries {
    /// A student's current level: the directory row (as the plugin's scope check reads it), then the level row.
    public struct Level: Sendable {
        public var studentID = "", schoolID = "", classID = "", explanation = "", since = "", reviewDue = "", source = "", updatedBy = ""
        public var level = 0
        public var updatedAtMs: Int64 = 0
    }

    /// Reads what GetWarningLevel answers; nil when the student is not in the directory.
    public static func warningLevel(_ db: Database, studentID: String) throws -> Level? {
        guard let student = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, school_id, class_id FROM directory_students WHERE id = ?"), arguments: [studentID]) else {
            return nil
        }
        var level = Level()
        level.studentID = student["id"]
        level.schoolID = student["school_id"]
        level.classID = student["class_id"]
        if let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT student_id, school_id, class_id, level, explanation, since_day, review_due, source, updated_by, updated_at_ms FROM crisis_levels WHERE student_id = ?
            """), arguments: [studentID]) {
            level.level = row["level"]
            level.explanation = row["explanation"]
            level.since = row["since_day"]
            level.reviewDue = row["review_due"]
            level.source = row["source"]
            level.updatedBy = row["updated_by"]
            level.updatedAtMs = row["updated_at_ms"]
        }
        return level
    }

    /// A recorded follow-up as RecordFollowUp answers it.
    public struct FollowUp: Sendable {
        public var id: Int64 = 0
        public var caseID: Int64 = 0
        public var studentID = "", schoolID = "", dueOn = "", doneOn = "", summary = "", recordedBy = "", origin = "", ownerID = ""
    }

    /// Records an extra follow-up on an open case, as RecordFollowUp does; nil when the case is not open.
    public static func recordFollowUp(_ db: Database, caseID: Int64, heldOn: String, summary: String, by principal: String, nowMs: Int64) throws -> FollowUp? {
        guard let c = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM crisis_cases WHERE id = ?"), arguments: [caseID]),
              c["status"] as String == "open"
        else { return nil }
        try db.cachedStatement(sql: """
            INSERT INTO crisis_follow_ups (case_id, student_id, school_id, class_id, due_on, done_on, summary, recorded_by, recorded_at_ms, origin)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'extra')
            """).execute(arguments: [caseID, c["student_id"] as String, c["school_id"] as String, c["class_id"] as String, heldOn, heldOn, summary, principal, nowMs])
        let id = db.lastInsertedRowID
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT f.*, c.owner_id AS owner_id FROM crisis_follow_ups f LEFT JOIN crisis_cases c ON c.id = f.case_id WHERE f.id = ?
            """), arguments: [id])!
        var f = FollowUp()
        f.id = id
        f.caseID = caseID
        f.studentID = row["student_id"]
        f.schoolID = row["school_id"]
        f.dueOn = row["due_on"]
        f.doneOn = row["done_on"]
        f.summary = row["summary"]
        f.recordedBy = row["recorded_by"]
        f.origin = row["origin"]
        f.ownerID = row["owner_id"] ?? ""
        return f
    }
}
