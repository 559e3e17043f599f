import GRDB

/// A row of `crisis_levels`: a student's current warning level. The one decoding of that table.
struct LevelRecord: Decodable, FetchableRecord, Sendable {
    let studentID: String
    let schoolID: String
    let classID: String
    let level: Int
    let explanation: String
    /// ISO day the level was reached.
    let sinceDay: String
    /// ISO day of the next review; "" at level 0.
    let reviewDue: String
    /// "screening", "staff" or "removal" (``LevelStore/Source``, declared in `CrisisStatuses.swift`).
    let source: String
    let updatedBy: String
    let updatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case level, explanation, source
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case sinceDay = "since_day"
        case reviewDue = "review_due"
        case updatedBy = "updated_by"
        case updatedAtMs = "updated_at_ms"
    }
}
