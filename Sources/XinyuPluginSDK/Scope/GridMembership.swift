import GRDB

/// The heart grids (心网格): which mentor (德育导师) looks after which student.
///
/// The directory keeps this table in the shared database; "grid" data scopes name mentors, and
/// the SDK resolves them through it, so plugins never query it themselves.
public enum GridMembership {
    /// (mentor_id, student_id), written by the directory's SetGrid.
    public static let table = "directory_grid_members"

    /// The mentors whose grid holds `studentID`, among `mentors`.
    static func mentors(of studentID: String, among mentors: [String], in db: Database) throws -> [String] {
        guard !mentors.isEmpty, try db.tableExists(table) else { return [] }
        let marks = Array(repeating: "?", count: mentors.count).joined(separator: ",")
        return try String.fetchAll(db, sql: "SELECT mentor_id FROM \(table) WHERE student_id = ? AND mentor_id IN (\(marks))",
                                   arguments: StatementArguments([studentID] + mentors))
    }
}
