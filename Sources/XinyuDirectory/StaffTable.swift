import GRDB
import XinyuCoreAPI

/// Reads and writes `directory_staff` and its roles in `directory_staff_roles`.
enum StaffTable {
    static let columns = "id, name, school_id, updated_at_ms"

    static func fetch(_ db: Database, id: String) throws -> Xinyu_Directory_V1_Staff? {
        guard let record = try StaffRecord.fetchOne(db, sql: "SELECT \(columns) FROM directory_staff WHERE id = ?", arguments: [id]) else { return nil }
        var staff = [record.message]
        try attachRoles(db, &staff)
        return staff[0]
    }

    /// Fills in the roles of every staff member in `staff`, in one query.
    static func attachRoles(_ db: Database, _ staff: inout [Xinyu_Directory_V1_Staff]) throws {
        guard !staff.isEmpty else { return }
        let placeholders = Array(repeating: "?", count: staff.count).joined(separator: ", ")
        var roles: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT staff_id, role FROM directory_staff_roles WHERE staff_id IN (\(placeholders)) ORDER BY staff_id, role", arguments: StatementArguments(staff.map(\.id))) {
            roles[row["staff_id"], default: []].append(row["role"])
        }
        for index in staff.indices { staff[index].roles = roles[staff[index].id] ?? [] }
    }

    /// Inserts the staff member or updates them in place, roles included; `updated_at_ms`
    /// moves only when a field or the set of roles changed. Expects sorted, unique roles.
    /// Fields in `keeping` ("school_id", "roles") keep their stored value on existing staff.
    static func save(_ db: Database, _ staff: Xinyu_Directory_V1_Staff, now: Int64, keeping: Set<String> = []) throws {
        let sql = UpsertSQL.make(
            table: "directory_staff", columns: ["id", "name", "school_id"], conflict: ["id"],
            updating: ["name", "school_id"].filter { !keeping.contains($0) })
        let school: String? = staff.schoolID.isEmpty ? nil : staff.schoolID
        try db.cachedStatement(sql: sql).execute(arguments: [staff.id, staff.name, school, now])
        guard !keeping.contains("roles") else { return }
        let current = try String.fetchAll(db.cachedStatement(sql: "SELECT role FROM directory_staff_roles WHERE staff_id = ? ORDER BY role"), arguments: [staff.id])
        guard current != staff.roles else { return }
        try db.cachedStatement(sql: "DELETE FROM directory_staff_roles WHERE staff_id = ?").execute(arguments: [staff.id])
        let insert = try db.cachedStatement(sql: "INSERT INTO directory_staff_roles (staff_id, role) VALUES (?, ?)")
        for role in staff.roles { try insert.execute(arguments: [staff.id, role]) }
        try db.cachedStatement(sql: "UPDATE directory_staff SET updated_at_ms = ? WHERE id = ?").execute(arguments: [now, staff.id])
    }
}
