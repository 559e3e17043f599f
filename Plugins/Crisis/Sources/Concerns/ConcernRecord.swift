import GRDB

/// A row of `crisis_concerns`: one concern raised on the heart grid (心网格). The one decoding of that table.
struct ConcernRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let schoolID: String
    let classID: String
    let description: String
    let raisedBy: String
    let raisedAtMs: Int64
    let acknowledgeDueMs: Int64
    /// "open", "acknowledged" or "escalated" (`Xinyu_Crisis_V1_ConcernStatus`).
    let status: String
    let acknowledgedBy: String
    let acknowledgedAtMs: Int64
    let acknowledgeNote: String
    let escalatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, description, status
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case raisedBy = "raised_by"
        case raisedAtMs = "raised_at_ms"
        case acknowledgeDueMs = "acknowledge_due_ms"
        case acknowledgedBy = "acknowledged_by"
        case acknowledgedAtMs = "acknowledged_at_ms"
        case acknowledgeNote = "acknowledge_note"
        case escalatedAtMs = "escalated_at_ms"
    }
}
