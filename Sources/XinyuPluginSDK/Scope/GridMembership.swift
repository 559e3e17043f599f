import GRDB

/// The heart grids (心网格): which mentor (德育导师) looks after which student.
///
/// The directory keeps them in the shared database; "grid" data scopes name mentors, and the SDK
/// resolves them through ``DirectoryReader``, so plugins never query the grid themselves.
enum GridMembership {
    /// The mentors whose grid holds `studentID`, among `mentors`.
    static func mentors(of studentID: String, among mentors: [String], in db: Database) throws -> [String] {
        // Without the directory (an SDK test database) no grid holds anyone.
        guard !mentors.isEmpty, try db.tableExists(DirectoryTables.gridMembers) else { return [] }
        return try DirectoryReader().mentors(ofStudent: studentID, among: mentors, in: db)
    }
}
