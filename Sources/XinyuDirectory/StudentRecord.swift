import GRDB

/// A row of `directory_students` (the columns of ``StudentTable/columns``). Personal data: never log it.
struct StudentRecord: Decodable, FetchableRecord, Sendable {
    let id: String
    let name: String
    /// `Xinyu_Directory_V1_Gender`'s stored text.
    let gender: String
    let birthDate: String
    let schoolID: String
    let classID: String
    let updatedAtMs: Int64
    /// The national student number (全国学籍号), "" when unknown.
    let nationalStudentID: String

    enum CodingKeys: String, CodingKey {
        case id, name, gender
        case birthDate = "birth_date"
        case schoolID = "school_id"
        case classID = "class_id"
        case updatedAtMs = "updated_at_ms"
        case nationalStudentID = "national_student_id"
    }
}
