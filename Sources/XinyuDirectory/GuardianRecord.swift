import GRDB

/// A row of `directory_guardians` (the columns of ``GuardianTable/columns``). Personal data: never log it.
struct GuardianRecord: Decodable, FetchableRecord, Sendable {
    let id: Int64
    let studentID: String
    let name: String
    let relation: String
    let phone: String
    let updatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, relation, phone
        case studentID = "student_id"
        case updatedAtMs = "updated_at_ms"
    }
}
