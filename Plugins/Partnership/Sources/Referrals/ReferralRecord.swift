import GRDB
import XinyuPartnershipCore

/// A row of `partnership_referrals`: one referral as the agency works it. The one decoding of that table.
struct ReferralRecord: Decodable, FetchableRecord, Sendable {
    let id: String
    let caseID: String
    let agencyID: String
    let studentID: String
    let schoolID: String
    let reason: String
    let urgent: Bool
    let legalBasis: String
    /// ``ReferralState``'s stored text.
    let status: String
    let requestedAtMs: Int64
    let respondByMs: Int64
    let overdue: Bool
    let appointmentAt: String
    let appointmentPlace: String
    let appointmentDoctor: String
    let reasonCode: String
    let successful: Bool
    let outcome: String
    let updatedAtMs: Int64
    let version: Int64

    enum CodingKeys: String, CodingKey {
        case id, reason, urgent, status, overdue, outcome, successful, version
        case caseID = "case_id"
        case agencyID = "agency_id"
        case studentID = "student_id"
        case schoolID = "school_id"
        case legalBasis = "legal_basis"
        case requestedAtMs = "requested_at_ms"
        case respondByMs = "respond_by_ms"
        case appointmentAt = "appointment_at"
        case appointmentPlace = "appointment_place"
        case appointmentDoctor = "appointment_doctor"
        case reasonCode = "reason_code"
        case updatedAtMs = "updated_at_ms"
    }

    /// The lifecycle state (a row always holds a valid one: the column has a CHECK).
    var state: ReferralState { ReferralState(rawValue: status) ?? .requested }

    static func find(_ db: Database, id: String) throws -> ReferralRecord? {
        try fetchOne(db, sql: "SELECT * FROM partnership_referrals WHERE id = ?", arguments: [id])
    }
}
