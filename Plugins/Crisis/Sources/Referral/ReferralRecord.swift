import GRDB

/// A row of `crisis_referrals`: one referral (转介) and its outcome. The one decoding of that table.
struct ReferralRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let caseID: Int64
    let studentID: String
    let agency: String
    let reason: String
    let urgent: Bool
    /// ``ReferralStatus``'s stored text (a string in the API).
    let status: String
    let outcome: String
    let requestedBy: String
    let requestedAtMs: Int64
    let updatedAtMs: Int64
    /// `Xinyu_Crisis_V1_LegalBasis`'s stored text; "" on rows from before v2.
    let legalBasis: String
    let consentBy: String
    let consentOn: String
    let consentRecord: String
    let emergencyReason: String

    enum CodingKeys: String, CodingKey {
        case id, agency, reason, urgent, status, outcome
        case caseID = "case_id"
        case studentID = "student_id"
        case requestedBy = "requested_by"
        case requestedAtMs = "requested_at_ms"
        case updatedAtMs = "updated_at_ms"
        case legalBasis = "legal_basis"
        case consentBy = "consent_by"
        case consentOn = "consent_on"
        case consentRecord = "consent_record"
        case emergencyReason = "emergency_reason"
    }
}
