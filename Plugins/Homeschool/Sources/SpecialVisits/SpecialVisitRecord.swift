import GRDB
import XinyuHomeschoolAPI
import XinyuPluginSDK

/// A row of `homeschool_special_visits`: a special visit (特殊家访) owed to a student's family.
struct SpecialVisitRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let schoolID: String
    let classID: String
    let trigger: String
    let reason: String
    let assigneeID: String
    let dueOn: String
    /// `SpecialVisitStatus`'s stored text.
    let status: String
    let visitID: Int64?
    let escalatedAtMs: Int64
    let escalationReason: String
    let createdAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, trigger, reason, status
        case studentID = "student_id"
        case schoolID = "school_id"
        case classID = "class_id"
        case assigneeID = "assignee_id"
        case dueOn = "due_on"
        case visitID = "visit_id"
        case escalatedAtMs = "escalated_at_ms"
        case escalationReason = "escalation_reason"
        case createdAtMs = "created_at_ms"
    }

    static func find(_ db: Database, id: Int64) throws -> SpecialVisitRecord? {
        try fetchOne(db, sql: "SELECT * FROM homeschool_special_visits WHERE id = ?", arguments: [id])
    }

    var message: Xinyu_Homeschool_V1_SpecialVisit {
        var s = Xinyu_Homeschool_V1_SpecialVisit()
        s.id = String(id)
        s.studentID = studentID
        s.schoolID = schoolID
        s.classID = classID
        s.trigger = trigger
        s.reason = reason
        s.assigneeID = assigneeID
        s.dueOn = dueOn
        s.status = SpecialVisitStatus(storedText: status) ?? .unspecified
        s.visitID = visitID.map(String.init) ?? ""
        s.escalatedAtMs = escalatedAtMs
        s.escalationReason = escalationReason
        s.createdAtMs = createdAtMs
        return s
    }
}
