import GRDB

/// A row of `crisis_plans`: a case's intervention plan (干预方案). The one decoding of that table.
struct PlanRecord: Decodable, FetchableRecord, Sendable {
    let caseID: Int64
    /// JSON array of strings (``JSONText/strings(_:)``).
    let goals: String
    /// JSON array of {description, responsible_id} (``JSONText/measures(_:)``).
    let measures: String
    /// "pending_approval", "approved" or "rejected" (`Xinyu_Crisis_V1_PlanStatus`).
    let status: String
    let updatedBy: String
    let updatedAtMs: Int64
    let approvedBy: String

    enum CodingKeys: String, CodingKey {
        case goals, measures, status
        case caseID = "case_id"
        case updatedBy = "updated_by"
        case updatedAtMs = "updated_at_ms"
        case approvedBy = "approved_by"
    }
}
