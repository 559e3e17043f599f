import GRDB

/// A row of `directory_staff` (the columns of ``StaffTable/columns``); the roles are in
/// `directory_staff_roles` (``StaffTable/attachRoles(_:_:)``).
struct StaffRecord: Decodable, FetchableRecord, Sendable {
    let id: String
    let name: String
    /// nil for city-level staff.
    let schoolID: String?
    let updatedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, name
        case schoolID = "school_id"
        case updatedAtMs = "updated_at_ms"
    }
}
