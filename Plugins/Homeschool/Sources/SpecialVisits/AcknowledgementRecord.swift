import GRDB
import XinyuHomeschoolAPI
import XinyuPluginSDK

/// A row of `homeschool_acknowledgements`: one parent's acknowledgement (or refusal) of one responsibility.
struct AcknowledgementRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let visitID: Int64
    let specialVisitID: Int64
    let responsibility: String
    let guardianID: Int64
    let relation: String
    let acknowledgedOn: String
    let evidenceRef: String
    let refused: Bool
    let refusalReason: String
    let refusalNote: String

    enum CodingKeys: String, CodingKey {
        case id, responsibility, relation, refused
        case refusalReason = "refusal_reason"
        case refusalNote = "refusal_note"
        case visitID = "visit_id"
        case specialVisitID = "special_visit_id"
        case guardianID = "guardian_id"
        case acknowledgedOn = "acknowledged_on"
        case evidenceRef = "evidence_ref"
    }

    var message: Xinyu_Homeschool_V1_Acknowledgement {
        var a = Xinyu_Homeschool_V1_Acknowledgement()
        a.responsibility = Responsibility(storedText: responsibility) ?? .unspecified
        a.guardianID = guardianID
        a.relation = relation
        a.acknowledgedOn = acknowledgedOn
        a.evidenceRef = evidenceRef
        a.refused = refused
        a.refusalReason = refusalReason
        a.refusalNote = refusalNote
        return a
    }
}
