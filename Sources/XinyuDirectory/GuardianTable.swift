import GRDB
import XinyuCoreAPI

/// Reads and writes `directory_guardians`. A guardian is identified by its numeric id, and
/// also by (student, name), which is what a re-imported roster matches on.
enum GuardianTable {
    static let columns = "id, student_id, name, relation, phone, updated_at_ms"

    static func fetch(_ db: Database, id: Int64) throws -> Xinyu_Directory_V1_Guardian? {
        try GuardianRecord.fetchOne(db, sql: "SELECT \(columns) FROM directory_guardians WHERE id = ?", arguments: [id])?.message
    }

    /// The id of the student's guardian with this name, if there is one.
    static func id(_ db: Database, studentID: String, name: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM directory_guardians WHERE student_id = ? AND name = ?", arguments: [studentID, name])
    }

    static func list(_ db: Database, studentID: String) throws -> [Xinyu_Directory_V1_Guardian] {
        try GuardianRecord.fetchAll(db, sql: "SELECT \(columns) FROM directory_guardians WHERE student_id = ? ORDER BY id", arguments: [studentID]).map(\.message)
    }

    /// Inserts a new guardian and returns its id.
    static func insert(_ db: Database, _ guardian: Xinyu_Directory_V1_Guardian, now: Int64) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO directory_guardians (student_id, name, relation, phone, updated_at_ms) VALUES (?, ?, ?, ?, ?)",
            arguments: [guardian.studentID, guardian.name, guardian.relation, guardian.phone, now])
        return db.lastInsertedRowID
    }

    /// Rewrites guardian `guardian.id`; `updated_at_ms` moves only on a change.
    static func update(_ db: Database, _ guardian: Xinyu_Directory_V1_Guardian, now: Int64) throws {
        try db.execute(sql: """
            UPDATE directory_guardians
            SET student_id = :student, name = :name, relation = :relation, phone = :phone, updated_at_ms = :now
            WHERE id = :id AND (student_id IS NOT :student OR name IS NOT :name OR relation IS NOT :relation OR phone IS NOT :phone)
            """, arguments: [
                "id": guardian.id, "student": guardian.studentID, "name": guardian.name,
                "relation": guardian.relation, "phone": guardian.phone, "now": now,
            ])
    }

    private static let upsertByName = UpsertSQL.make(
        table: "directory_guardians", columns: ["student_id", "name", "relation", "phone"], conflict: ["student_id", "name"],
        updating: ["relation", "phone"])

    /// Inserts the guardian, or updates the student's guardian of the same name (import).
    static func saveByName(_ db: Database, _ guardian: Xinyu_Directory_V1_Guardian, now: Int64) throws {
        try db.cachedStatement(sql: upsertByName).execute(arguments: [guardian.studentID, guardian.name, guardian.relation, guardian.phone, now])
    }
}
