import GRDB

/// A row of `crisis_approvals`: one supervisor approval (审批). The one decoding of that table.
struct ApprovalRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    /// nil: the removal of a student who never had a case.
    let caseID: Int64?
    let studentID: String
    let schoolID: String
    let classID: String
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
    /// For a plan: the revision (``PlanRevisionStore``) this approval decides; 0 otherwise.
    let planVersion: Int

    enum CodingKeys: String, CodingKey {
        case id, subject, status, reason, comment
        case caseID = "case_id"
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case requestedBy = "requested_by"
        case requestedAtMs = "requested_at_ms"
        case decidedBy = "decided_by"
        case decidedAtMs = "decided_at_ms"
        case planVersion = "plan_version"
    }


    /// The student as the row records them, for the scope check.
    var student: StudentFacts { StudentFacts(id: studentID, schoolID: schoolID, classID: classID) }
}
