import GRDB

/// A row of `directory_classes` (the columns of ``ClassTable/columns``).
struct ClassRecord: Decodable, FetchableRecord, Sendable {
    let id: String
    let schoolID: String
    let grade: Int
    let name: String
    /// nil while the class has no homeroom teacher.
    let homeroomTeacherID: String?
    let updatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, grade, name
        case schoolID = "school_id"
        case homeroomTeacherID = "homeroom_teacher_id"
        case updatedAtMs = "updated_at_ms"
    }
}
