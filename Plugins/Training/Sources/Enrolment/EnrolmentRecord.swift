import GRDB

/// A row of `training_enrolments`.
struct EnrolmentRecord: Decodable, FetchableRecord {
    let id: Int64
    let sessionID: Int64
    let staffID: String
    let status: String
    let enrolledAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, status
        case sessionID = "session_id"
        case staffID = "staff_id"
        case enrolledAtMs = "enrolled_at_ms"
    }

    /// The enrolment of `staffID` in `sessionID`, or nil.
    static func find(_ db: Database, session sessionID: Int64, staff staffID: String) throws -> EnrolmentRecord? {
        try fetchOne(db, sql: "SELECT * FROM training_enrolments WHERE session_id = ? AND staff_id = ?", arguments: [sessionID, staffID])
    }

    /// The 1-based place on the session's waitlist (0 when not waitlisted): first come, first served.
    func waitlistPosition(_ db: Database) throws -> Int {
        guard status == "waitlisted" else { return 0 }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM training_enrolments WHERE session_id = ? AND status = 'waitlisted' AND id <= ?",
                                arguments: [sessionID, id]) ?? 0
    }
}
