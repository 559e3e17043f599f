import GRDB

/// The seats of a session, changed only inside a write transaction: SQLite runs one writer at a
/// time, so counting the taken seats and taking one are a single step no other enrolment can
/// interleave with. This is what keeps a session from being over-booked under concurrent calls.
enum SeatLedger {
    /// Seats taken (enrolled or completed) in `sessionID`.
    static func taken(_ db: Database, session sessionID: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM training_enrolments WHERE session_id = ? AND status IN ('enrolled', 'completed')",
                         arguments: [sessionID]) ?? 0
    }

    /// Enrols `staffID` (a seat when one is free, else the end of the waitlist) and returns the row.
    /// A withdrawn enrolment starts again at the end of the line.
    static func enrol(_ db: Database, session: SessionRecord, staff staffID: String, nowMs: Int64) throws -> EnrolmentRecord {
        let status = try taken(db, session: session.id) < session.capacity ? "enrolled" : "waitlisted"
        try db.execute(sql: "DELETE FROM training_enrolments WHERE session_id = ? AND staff_id = ? AND status = 'withdrawn'",
                       arguments: [session.id, staffID])
        try db.execute(sql: """
            INSERT INTO training_enrolments (session_id, staff_id, status, enrolled_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?)
            """, arguments: [session.id, staffID, status, nowMs, nowMs])
        return try EnrolmentRecord.find(db, session: session.id, staff: staffID)!
    }

    /// Frees the seat (or waitlist place) of `enrolment` and, when a seat was freed, gives it to
    /// the first person on the waitlist; returns that person's enrolment.
    static func withdraw(_ db: Database, _ enrolment: EnrolmentRecord, nowMs: Int64) throws -> EnrolmentRecord? {
        try db.execute(sql: "UPDATE training_enrolments SET status = 'withdrawn', updated_at_ms = ? WHERE id = ?", arguments: [nowMs, enrolment.id])
        guard enrolment.status == "enrolled" else { return nil }
        guard let next = try EnrolmentRecord.fetchOne(db, sql: """
            SELECT * FROM training_enrolments WHERE session_id = ? AND status = 'waitlisted' ORDER BY id LIMIT 1
            """, arguments: [enrolment.sessionID]) else { return nil }
        try db.execute(sql: "UPDATE training_enrolments SET status = 'enrolled', updated_at_ms = ? WHERE id = ?", arguments: [nowMs, next.id])
        return try EnrolmentRecord.find(db, session: next.sessionID, staff: next.staffID)
    }
}
