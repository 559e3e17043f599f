import GRDB

extension DirectoryReader {
    /// The ids of the students in school `schoolID` now, sorted: the denominator of a school's
    /// completion rates when the rate needs to know which students (not only how many).
    public func studentIDs(inSchool schoolID: String, in db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM \(DirectoryTables.students) WHERE school_id = ? ORDER BY id"),
                            arguments: [schoolID])
    }
}
