import GRDB

/// A row of `crisis_level_changes`: one step in a student's level history. The one decoding of that table.
struct LevelChangeRecord: Decodable, FetchableRecord, Sendable {
    let studentID: String
    let fromLevel: Int
    let toLevel: Int
    let explanation: String
    let reason: String
    let evidence: String
    /// ``LevelStore/Source``'s stored text.
    let source: String
    let changedBy: String
    let changedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case explanation, reason, evidence, source
        case studentID = "student_id"
        case fromLevel = "from_level"
        case toLevel = "to_level"
        case changedBy = "changed_by"
        case changedAtMs = "changed_at_ms"
    }
}
