import GRDB

/// A row of `homeschool_visits`: one home visit (家访), planned or done. The one decoding of that table.
struct VisitRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let schoolID: String
    let classID: String
    let schoolYear: Int
    /// `VisitStatus`'s stored text.
    let status: String
    let plannedOn: String
    let visitedOn: String
    /// `VisitMode`'s stored text.
    let mode: String
    /// JSON arrays.
    let visitors: String
    let met: String
    let notes: String
    let concerns: String
    let specialVisitID: Int64?
    let recordedBy: String
    let recordedAtMs: Int64
    /// The crisis concern raised from this visit, or "".
    let crisisConcernID: String

    enum CodingKeys: String, CodingKey {
        case id, status, mode, visitors, met, notes, concerns
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case schoolYear = "school_year"
        case plannedOn = "planned_on"
        case visitedOn = "visited_on"
        case specialVisitID = "special_visit_id"
        case recordedBy = "recorded_by"
        case recordedAtMs = "recorded_at_ms"
        case crisisConcernID = "crisis_concern_id"
    }

    static func find(_ db: Database, id: Int64) throws -> VisitRecord? {
        try fetchOne(db, sql: "SELECT * FROM homeschool_visits WHERE id = ?", arguments: [id])
    }
}
