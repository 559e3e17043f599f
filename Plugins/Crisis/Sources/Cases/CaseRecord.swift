import GRDB

/// A row of `crisis_cases`: one case (个案). The one decoding of that table.
struct CaseRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let schoolID: String
    let classID: String
    let level: Int
    /// 1 class, 2 school, 3 city (``CaseStore/tierNames``).
    let tier: Int
    /// "open" or "closed" (`Xinyu_Crisis_V1_CaseStatus`, declared in `CrisisStatuses.swift`).
    let status: String
    /// nil until the case is assigned.
    let ownerID: String?
    let openedBy: String
    let openedAtMs: Int64
    let assignDueAtMs: Int64
    let assignedAtMs: Int64
    let closedAtMs: Int64
    let reason: String
    /// ``CaseOrigin``'s stored text.
    let origin: String
    /// When the level that opened the case was detected; the assignment deadline runs from here.
    let detectedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, level, tier, status, reason, origin
        case detectedAtMs = "detected_at_ms"
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case ownerID = "owner_id"
        case openedBy = "opened_by"
        case openedAtMs = "opened_at_ms"
        case assignDueAtMs = "assign_due_at_ms"
        case assignedAtMs = "assigned_at_ms"
        case closedAtMs = "closed_at_ms"
    }
}

/// A row of `crisis_case_events`: one step in a case's history.
struct CaseEventRecord: Decodable, FetchableRecord, Sendable {
    let kind: String
    let fromTier: Int
    let toTier: Int
    let reason: String
    let actor: String
    let atMs: Int64

    enum CodingKeys: String, CodingKey {
        case kind, reason, actor
        case fromTier = "from_tier"
        case toTier = "to_tier"
        case atMs = "at_ms"
    }
}
