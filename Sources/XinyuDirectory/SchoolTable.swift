import GRDB
import XinyuCoreAPI

/// Reads and writes `directory_schools`.
enum SchoolTable {
    static let columns = "id, name, district, kind, sub_centre, updated_at_ms"

    static func fetch(_ db: Database, id: String) throws -> Xinyu_Directory_V1_School? {
        try SchoolRecord.fetchOne(db, sql: "SELECT \(columns) FROM directory_schools WHERE id = ?", arguments: [id])?.message
    }

    /// Inserts the school or updates it in place; `updated_at_ms` moves only on a change.
    /// Fields in `keeping` keep their stored value on an existing school.
    static func save(_ db: Database, _ school: Xinyu_Directory_V1_School, now: Int64, keeping: Set<String> = []) throws {
        let sql = UpsertSQL.make(
            table: "directory_schools", columns: ["id", "name", "district", "kind", "sub_centre"], conflict: ["id"],
            updating: ["name", "district", "kind", "sub_centre"].filter { !keeping.contains($0) })
        try db.cachedStatement(sql: sql).execute(arguments: [
            school.id, school.name, school.district, school.kind.storedText, school.subCentre, now,
        ])
    }
}
