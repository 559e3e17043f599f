import GRDB

/// A student as the directory holds them, with their current school and class.
public struct DirectoryStudent: Sendable, Hashable, FetchableRecord {
    /// The city's student id (学号 / 学籍号 as the city's records keep it), unique city-wide.
    public let id: String
    public let name: String
    /// "female" or "male".
    public let gender: String
    /// ISO date, e.g. "2010-03-14".
    public let birthDate: String
    /// The school the student attends now.
    public let schoolID: String
    /// The class the student is in now (a class of ``schoolID``).
    public let classID: String
    /// The national student number (全国学籍号), "" when the directory does not have it.
    public let nationalStudentID: String

    static let columns = "id, name, gender, birth_date, school_id, class_id, national_student_id"

    /// Decodes a row of ``columns`` by position. Written by hand, not `Decodable`: every point
    /// read and write of a student's record runs it (W1), and the decoder costs more than the read.
    public init(row: Row) throws {
        id = row[0]
        name = row[1]
        gender = row[2]
        birthDate = row[3]
        schoolID = row[4]
        classID = row[5]
        nationalStudentID = row[6]
    }

    /// The facts a data scope is checked against for a record of this student.
    public var scopeTarget: ScopeTarget { ScopeTarget(schoolID: schoolID, classID: classID, studentID: id) }
}
