import GRDB

/// A guardian (监护人) of a student as the directory holds them. Personal data: never log it.
public struct DirectoryGuardian: Sendable, Hashable, Codable, FetchableRecord {
    public let id: Int64
    public let studentID: String
    public let name: String
    /// e.g. "父亲", "母亲".
    public let relation: String
    public let phone: String

    enum CodingKeys: String, CodingKey {
        case id, name, relation, phone
        case studentID = "student_id"
    }

    static let columns = "id, student_id, name, relation, phone"
}
