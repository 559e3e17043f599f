import GRDB
import XinyuCoreAPI

/// Reads and writes `directory_classes`.
enum ClassTable {
    static let columns = "id, school_id, grade, name, homeroom_teacher_id, updated_at_ms"

    static func fetch(_ db: Database, id: String) throws -> Xinyu_Directory_V1_SchoolClass? {
        try ClassRecord.fetchOne(db, sql: "SELECT \(columns) FROM directory_classes WHERE id = ?", arguments: [id])?.message
    }

    /// Inserts the class or updates it in place; `updated_at_ms` moves only on a change.
    /// Fields in `keeping` keep their stored value on an existing class.
    static func save(_ db: Database, _ schoolClass: Xinyu_Directory_V1_SchoolClass, now: Int64, keeping: Set<String> = []) throws {
        let sql = UpsertSQL.make(
            table: "directory_classes", columns: ["id", "school_id", "grade", "name", "homeroom_teacher_id"], conflict: ["id"],
            updating: ["school_id", "grade", "name", "homeroom_teacher_id"].filter { !keeping.contains($0) })
        let teacher: String? = schoolClass.homeroomTeacherID.isEmpty ? nil : schoolClass.homeroomTeacherID
        try db.cachedStatement(sql: sql).execute(arguments: [
            schoolClass.id, schoolClass.schoolID, Int(schoolClass.grade), schoolClass.name, teacher, now,
        ])
    }
}
