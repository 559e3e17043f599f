import GRDB
import XinyuCoreAPI
import XinyuPluginSDK

/// Reads and writes `directory_students`.
enum StudentTable {
    static let columns = "id, name, gender, birth_date, school_id, class_id, updated_at_ms, national_student_id"

    static func fetch(_ db: Database, id: String) throws -> Xinyu_Directory_V1_Student? {
        try StudentRecord.fetchOne(db, sql: "SELECT \(columns) FROM directory_students WHERE id = ?", arguments: [id])?.message
    }

    private static let upsert = UpsertSQL.make(
        table: "directory_students", columns: ["id", "name", "gender", "birth_date", "school_id", "class_id", "national_student_id"], conflict: ["id"],
        updating: ["name", "gender", "birth_date", "school_id", "class_id", "national_student_id"])

    /// The same without the national student number: an import whose file has no such column
    /// keeps the stored one.
    private static let upsertKeepingNationalID = UpsertSQL.make(
        table: "directory_students", columns: ["id", "name", "gender", "birth_date", "school_id", "class_id", "national_student_id"], conflict: ["id"],
        updating: ["name", "gender", "birth_date", "school_id", "class_id"])

    /// Inserts the student or updates them in place; `updated_at_ms` moves only on a change.
    /// With `keepingNationalID`, an existing student keeps their stored national student number.
    static func save(_ db: Database, _ student: Xinyu_Directory_V1_Student, now: Int64, keepingNationalID: Bool = false) throws {
        do {
            try db.cachedStatement(sql: keepingNationalID ? upsertKeepingNationalID : upsert).execute(arguments: [
                student.id, student.name, student.gender.storedText, student.birthDate,
                student.schoolID, student.classID, student.nationalStudentID, now,
            ])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            // Checked before writing; two rows of one file, or a concurrent write, can still meet here.
            throw RPCError.invalidField("student.national_student_id", "\(student.nationalStudentID) is already the national student id of another student")
        }
    }

    /// The student whose national student number is `nationalID`, nil when none (or when it is empty).
    static func student(withNationalID nationalID: String, _ db: Database) throws -> String? {
        guard !nationalID.isEmpty else { return nil }
        return try String.fetchOne(db, sql: "SELECT id FROM directory_students WHERE national_student_id = ?", arguments: [nationalID])
    }
}
