import GRDB

/// Whole-school and city-wide reads for plugins that plan or count over rosters (the training
/// plugin's heart grid and coverage statistics): each one query, in the caller's transaction.
extension DirectoryReader {
    /// The schools within `scopes`, sorted by id. Only city and school scopes grant schools
    /// here: a class, grid or student scope sees no whole school.
    public func schools(within scopes: [DataScope], in db: Database) throws -> [DirectorySchool] {
        let scope = ScopeFilter(scopes: scopes, columns: ScopeColumns(school: "id"))
        return try DirectorySchool.fetchAll(db, sql: "SELECT \(DirectorySchool.columns) FROM \(DirectoryTables.schools) WHERE \(scope.sql) ORDER BY id",
                                            arguments: scope.arguments)
    }

    /// The staff of school `schoolID` (every member of staff when nil, city-level staff included)
    /// with their roles, sorted by id, in one query.
    public func staffMembers(ofSchool schoolID: String?, in db: Database) throws -> [DirectoryStaffMember] {
        var sql = """
            SELECT s.id, s.name, s.school_id, group_concat(r.role, ',') AS roles FROM \(DirectoryTables.staff) s
            LEFT JOIN \(DirectoryTables.staffRoles) r ON r.staff_id = s.id
            """
        var arguments: StatementArguments = []
        if let schoolID {
            sql += " WHERE s.school_id = ?"
            arguments = [schoolID]
        }
        sql += " GROUP BY s.id ORDER BY s.id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let roles: String? = row["roles"]
            return DirectoryStaffMember(id: row["id"], name: row["name"], schoolID: row["school_id"],
                                        roles: (roles ?? "").split(separator: ",").map(String.init).sorted())
        }
    }

    /// The students of school `schoolID`, sorted by id.
    public func students(ofSchool schoolID: String, in db: Database) throws -> [DirectoryStudent] {
        try DirectoryStudent.fetchAll(db, sql: "SELECT \(DirectoryStudent.columns) FROM \(DirectoryTables.students) WHERE school_id = ? ORDER BY id",
                                      arguments: [schoolID])
    }

    /// How many students each school has (schools without students are absent).
    public func studentCountsBySchool(in db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT school_id, COUNT(*) FROM \(DirectoryTables.students) GROUP BY school_id")
        while let row = try rows.next() { counts[row[0]] = row[1] }
        return counts
    }

    /// The heart-grid memberships of school `schoolID`'s students: (mentor, student) pairs,
    /// sorted by student then mentor. A mentor may be staff of another school (a check reports it).
    public func gridMemberships(ofSchool schoolID: String, in db: Database) throws -> [(mentorID: String, studentID: String)] {
        try Row.fetchAll(db, sql: """
            SELECT g.mentor_id, g.student_id FROM \(DirectoryTables.gridMembers) g
            JOIN \(DirectoryTables.students) s ON s.id = g.student_id
            WHERE s.school_id = ? ORDER BY g.student_id, g.mentor_id
            """, arguments: [schoolID]).map { (mentorID: $0[0], studentID: $0[1]) }
    }

    /// How many students each mentor's heart grid holds (mentors without a grid are absent).
    public func gridLoads(in db: Database) throws -> [String: Int] {
        var loads: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT mentor_id, COUNT(*) FROM \(DirectoryTables.gridMembers) GROUP BY mentor_id")
        while let row = try rows.next() { loads[row[0]] = row[1] }
        return loads
    }
}
