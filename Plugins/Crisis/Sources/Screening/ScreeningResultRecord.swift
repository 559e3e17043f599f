import GRDB

/// A row of `crisis_screening_results` (the columns of ``ScreeningStore/columns``): one scored
/// questionnaire. The one decoding of that table.
struct ScreeningResultRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let roundID: String
    let instrumentID: String
    let instrumentVersion: String
    /// JSON array of item answers, -1 = unanswered.
    let answers: String
    /// JSON object of yes/no extras.
    let extras: String
    /// nil: invalid or not summed.
    let total: Int?
    let prorated: Bool
    let band: String
    /// Comma-separated flag ids.
    let flags: String
    let explanation: String
    let suggestedLevel: Int
    let takenOn: String
    let recordedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, answers, extras, total, prorated, band, flags, explanation
        case studentID = "student_id"
        case roundID = "round_id"
        case instrumentID = "instrument_id"
        case instrumentVersion = "instrument_version"
        case suggestedLevel = "suggested_level"
        case takenOn = "taken_on"
        case recordedAtMs = "recorded_at_ms"
    }
}
