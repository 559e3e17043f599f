import GRDB

/// A class (班级) as the directory holds it.
public struct DirectoryClass: Sendable, Hashable, Codable, FetchableRecord {
    public let id: String
    public let schoolID: String
    /// 1–12.
    public let grade: Int
    public let name: String
    /// The homeroom teacher (班主任), if one is set.
    public let homeroomTeacherID: String?

    enum CodingKeys: String, CodingKey {
        case id, grade, name
        case schoolID = "school_id"
        case homeroomTeacherID = "homeroom_teacher_id"
    }

    static let columns = "id, school_id, grade, name, homeroom_teacher_id"
}
