import GRDB
import XinyuPluginSDK

/// A row of `crisis_case_needs`: a student detected at a level owed a case, waiting for
/// OpenCase (with `[detection] creates = "needs_case"`). The one decoding of that table.
struct CaseNeedRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let schoolID: String
    let classID: String
    let level: Int
    /// 1 class, 2 school, 3 city: who is expected to open the case.
    let tier: Int
    let detectedAtMs: Int64
    /// The assignment deadline, from detection; the case opened for it keeps it.
    let dueAtMs: Int64
    /// ``CaseNeedStatus``'s stored text.
    let status: String
    let caseID: Int64?
    let reason: String

    enum CodingKeys: String, CodingKey {
        case id, level, tier, status, reason
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case detectedAtMs = "detected_at_ms"
        case dueAtMs = "due_at_ms"
        case caseID = "case_id"
    }
}

/// Where a "needs a case" item stands (`crisis_case_needs.status`).
enum CaseNeedStatus: String, CaseIterable, StoredEnum {
    /// Waiting for OpenCase.
    case open
    /// OpenCase turned it into a case (`case_id`).
    case opened
    /// The student left the warning database before a case was opened.
    case withdrawn
}
