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
    /// '' or a `Xinyu_Crisis_V1_ConcernOutcome` stored text.
    let outcome: String
    let outcomeNote: String
    let outcomeBy: String
    let outcomeAtMs: Int64
    let outcomeCaseID: Int64?
    let outcomeReferralID: Int64?
    /// '' or a `Xinyu_Crisis_V1_ConcernOwner` stored text: whose list an escalated concern is on.
    let escalatedTo: String
    /// The school psych lead's staff id while it is on their list.
    let ownerID: String
    /// When it moves on from the psych lead to the growth centre (0: not on the lead's list).
    let centreDueMs: Int64
    let centreEscalatedAtMs: Int64

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
        case outcome
        case outcomeNote = "outcome_note"
        case outcomeBy = "outcome_by"
        case outcomeAtMs = "outcome_at_ms"
        case outcomeCaseID = "outcome_case_id"
        case outcomeReferralID = "outcome_referral_id"
        case escalatedTo = "escalated_to"
        case ownerID = "owner_id"
        case centreDueMs = "centre_due_ms"
        case centreEscalatedAtMs = "centre_escalated_at_ms"
    }
}
