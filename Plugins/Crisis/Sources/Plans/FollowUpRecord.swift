import GRDB

/// A row of `crisis_follow_ups` joined to its case's owner (``FollowUpStore/select``). The one
/// decoding of that table.
struct FollowUpRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    /// nil: scheduled after a return from leave with no open case.
    let caseID: Int64?
    let studentID: String
    let schoolID: String
    let dueOn: String
    /// "" until recorded.
    let doneOn: String
    let summary: String
    let recordedBy: String
    /// ``FollowUpOrigin``'s stored text (a string in the API).
    let origin: String
    /// The case's owner, from the join; nil without a case or owner.
    let ownerID: String?

    enum CodingKeys: String, CodingKey {
        case id, summary, origin
        case caseID = "case_id"
        case studentID = "student_id"
        case schoolID = "school_id"
        case dueOn = "due_on"
        case doneOn = "done_on"
        case recordedBy = "recorded_by"
        case ownerID = "owner_id"
    }
}
