import GRDB
import XinyuCoreAPI

/// Reads and writes `directory_students`.
enum StudentTable {
    static let columns = "id, name, gender, birth_date, school_id, class_id, updated_at_ms"

    static func fetch(_ db: Database, id: String) throws -> Xinyu_Directory_V1_Student? {
        try StudentRecord.fetchOne(db, sql: "SELECT \(columns) FROM directory_students WHERE id = ?", arguments: [id])?.message
    }

    private static let upsert = UpsertSQL.make(
        table: "directory_students", columns: ["id", "name", "gender", "birth_date", "school_id", "class_id"], conflict: ["id"],
        updating: ["name", "gender", "birth_date", "school_id", "class_id"])

    /// Inserts the student or updates them in place; `updated_at_ms` moves only on a change.
    static func save(_ db: Database, _ student: Xinyu_Directory_V1_Student, now: Int64) throws {
        try db.cachedStatement(sql: upsert).execute(arguments: [
            student.id, student.name, student.gender.storedText, student.birthDate,
            student.schoolID, student.classID, now,
        ])
    }
}
