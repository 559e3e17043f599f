import GRDB

extension DirectoryReader {
    /// The schools a principal with `scopes` sees, by id: every school for a city scope, the
    /// listed ones for a school scope (class, grid and student scopes grant no whole school).
    /// The denominator of coverage figures ("share of schools with …").
    public func schools(within scopes: [DataScope], in db: Database) throws -> [DirectorySchool] {
        let scope = ScopeFilter(scopes: scopes, columns: ScopeColumns(school: "s.id"))
        return try DirectorySchool.fetchAll(db, sql: """
            SELECT s.id, s.name, s.district, s.kind, s.sub_centre
            FROM \(DirectoryTables.schools) s WHERE \(scope.sql) ORDER BY s.id
            """, arguments: scope.arguments)
    }

    /// The ids of the students in school `schoolID` now, sorted: the denominator of a school's
    /// completion rates when the rate needs to know which students (not only how many).
    public func studentIDs(inSchool schoolID: String, in db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM \(DirectoryTables.students) WHERE school_id = ? ORDER BY id"),
                            arguments: [schoolID])
    }
}
