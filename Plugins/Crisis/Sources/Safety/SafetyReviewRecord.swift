import GRDB
import XinyuPluginSDK
import XinyuCrisisAPI

/// A row of `crisis_safety_reviews`: a review a psych teacher owes because a screening's safety
/// questions were left unanswered. The one decoding of that table.
struct SafetyReviewRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let schoolID: String
    let classID: String
    let resultID: Int64
    /// Comma-separated flag ids that matched.
    let flags: String
    let reason: String
    let requestedAtMs: Int64
    let dueAtMs: Int64
    /// ``SafetyReviewStatus``'s stored text.
    let status: String
    let doneBy: String
    let doneAtMs: Int64
    let summary: String

    enum CodingKeys: String, CodingKey {
        case id, flags, reason, status, summary
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case resultID = "result_id"
        case requestedAtMs = "requested_at_ms"
        case dueAtMs = "due_at_ms"
        case doneBy = "done_by"
        case doneAtMs = "done_at_ms"
    }

    /// The review as the API sends it; `overdue` is judged at `nowMs`.
    func message(nowMs: Int64) -> Xinyu_Crisis_V1_SafetyReview {
        var m = Xinyu_Crisis_V1_SafetyReview()
        m.id = String(id)
        m.studentID = studentID
        m.schoolID = schoolID
        m.classID = classID
        m.screeningResultID = String(resultID)
        m.flags = flags.isEmpty ? [] : flags.split(separator: ",").map(String.init)
        m.reason = reason
        m.requestedAtMs = requestedAtMs
        m.dueAtMs = dueAtMs
        m.status = status
        m.overdue = status == SafetyReviewStatus.open.rawValue && dueAtMs < nowMs
        m.doneBy = doneBy
        m.doneAtMs = doneAtMs
        m.summary = summary
        return m
    }
}

/// Where a safety review stands (`crisis_safety_reviews.status`; a string in the API).
enum SafetyReviewStatus: String, CaseIterable, StoredEnum {
    /// Owed.
    case open
    /// Recorded by a psych teacher.
    case done
}
