import GRDB
import XinyuHomeschoolAPI

/// A row of `homeschool_consents`: one guardian consent (监护人同意) for a purpose, an agency and a scope of data.
struct ConsentRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let purpose: String
    let agency: String
    let scope: String
    let sensitive: Bool
    let guardianID: Int64
    let guardianRelation: String
    let givenOn: String
    let expiresOn: String
    let evidenceRef: String
    let withdrawnAtMs: Int64
    let withdrawalReason: String
    let recordedBy: String
    let recordedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, purpose, agency, scope, sensitive
        case studentID = "student_id"
        case guardianID = "guardian_id"
        case guardianRelation = "guardian_relation"
        case givenOn = "given_on"
        case expiresOn = "expires_on"
        case evidenceRef = "evidence_ref"
        case withdrawnAtMs = "withdrawn_at_ms"
        case withdrawalReason = "withdrawal_reason"
        case recordedBy = "recorded_by"
        case recordedAtMs = "recorded_at_ms"
    }

    static func find(_ db: Database, id: Int64) throws -> ConsentRecord? {
        try fetchOne(db, sql: "SELECT * FROM homeschool_consents WHERE id = ?", arguments: [id])
    }

    var message: Xinyu_Homeschool_V1_Consent {
        var c = Xinyu_Homeschool_V1_Consent()
        c.id = String(id)
        c.studentID = studentID
        c.purpose = purpose
        c.agency = agency
        c.scope = scope
        c.sensitive = sensitive
        c.guardianID = guardianID
        c.guardianRelation = guardianRelation
        c.givenOn = givenOn
        c.expiresOn = expiresOn
        c.evidenceRef = evidenceRef
        c.withdrawnAtMs = withdrawnAtMs
        c.withdrawalReason = withdrawalReason
        c.recordedBy = recordedBy
        c.recordedAtMs = recordedAtMs
        return c
    }
}
