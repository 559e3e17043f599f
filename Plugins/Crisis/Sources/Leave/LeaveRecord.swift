import GRDB

/// A row of `crisis_leaves`: one medical leave and return (休学/复学). The one decoding of that table.
struct LeaveRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let schoolID: String
    let classID: String
    /// "on_leave", "return_applied", "assessed" or "returned" (`Xinyu_Crisis_V1_LeaveStatus`).
    let status: String
    let startedOn: String
    let reason: String
    let returnAppliedOn: String
    let assessedOn: String
    let assessmentFit: Bool
    let assessmentSummary: String
    /// JSON array of {description, responsible_id} (``JSONText/measures(_:)``).
    let preventionPlan: String
    /// "" until the student returned.
    let returnedOn: String

    enum CodingKeys: String, CodingKey {
        case id, status, reason
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case startedOn = "started_on"
        case returnAppliedOn = "return_applied_on"
        case assessedOn = "assessed_on"
        case assessmentFit = "assessment_fit"
        case assessmentSummary = "assessment_summary"
        case preventionPlan = "prevention_plan"
        case returnedOn = "returned_on"
    }
}
