import GRDB

/// A row of `training_sessions` joined with its course and its seat counts.
struct SessionRecord: Decodable, FetchableRecord {
    let id: Int64
    let courseID: Int64
    let kind: String
    let title: String
    let startsOn: String
    let endsOn: String
    let place: String
    let trainer: String
    let capacity: Int
    let hours: Double
    let enrolled: Int
    let waitlisted: Int

    enum CodingKeys: String, CodingKey {
        case id, kind, title, place, trainer, capacity, hours, enrolled, waitlisted
        case courseID = "course_id"
        case startsOn = "starts_on"
        case endsOn = "ends_on"
    }

    /// The select list for `FROM training_sessions x JOIN training_courses c ON c.id = x.course_id`.
    /// Seats count enrolled and completed people; completed ones keep their seat.
    static let selection = """
        x.id, x.course_id, c.kind, c.title, x.starts_on, x.ends_on, x.place, x.trainer, x.capacity, x.hours,
        (SELECT COUNT(*) FROM training_enrolments e WHERE e.session_id = x.id AND e.status IN ('enrolled', 'completed')) AS enrolled,
        (SELECT COUNT(*) FROM training_enrolments e WHERE e.session_id = x.id AND e.status = 'waitlisted') AS waitlisted
        """

    /// The session `id`, or nil.
    static func find(_ db: Database, id: Int64) throws -> SessionRecord? {
        try fetchOne(db, sql: "SELECT \(selection) FROM training_sessions x JOIN training_courses c ON c.id = x.course_id WHERE x.id = ?", arguments: [id])
    }
}
