import GRDB

/// A row of `crisis_approvals`: one supervisor approval (审批). The one decoding of that table.
struct ApprovalRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let caseID: Int64
    /// "plan", "closure" or "removal" (`Xinyu_Crisis_V1_ApprovalSubject`).
    let subject: String
    /// "pending", "approved" or "rejected" (`Xinyu_Crisis_V1_ApprovalStatus`).
    let status: String
    let reason: String
    let requestedBy: String
    let requestedAtMs: Int64
    let decidedBy: String
    let decidedAtMs: Int64
    let comment: String

    enum CodingKeys: String, CodingKey {
        case id, subject, status, reason, comment
        case caseID = "case_id"
        case requestedBy = "requested_by"
        case requestedAtMs = "requested_at_ms"
        case decidedBy = "decided_by"
        case decidedAtMs = "decided_at_ms"
    }
}
