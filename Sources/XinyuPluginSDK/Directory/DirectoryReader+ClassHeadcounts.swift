import GRDB

/// How many students one class has (a coverage denominator).
public struct ClassHeadcount: Sendable, Hashable {
    public let schoolID: String
    public let classID: String
    public let students: Int64
}

extension DirectoryReader {
    /// The students of class `classID` as their ids, sorted: a class roster.
    public func studentIDs(inClass classID: String, in db: Database) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM \(DirectoryTables.students) WHERE class_id = ? ORDER BY id"),
                            arguments: [classID])
    }

    /// Students per class within `scopes` (a principal's data scopes), in one school when
    /// `schoolID` is given, in one query: the denominators of per-class completion rates.
    public func headcountsByClass(within scopes: [DataScope], schoolID: String? = nil, in db: Database) throws -> [ClassHeadcount] {
        let scope = ScopeFilter(scopes: scopes, columns: ScopeColumns(school: "s.school_id", class: "s.class_id", student: "s.id"))
        var sql = "SELECT s.school_id, s.class_id, COUNT(*) FROM \(DirectoryTables.students) s WHERE \(scope.sql)"
        var arguments = scope.arguments
        if let schoolID, !schoolID.isEmpty {
            sql += " AND s.school_id = ?"
            arguments += [schoolID]
        }
        sql += " GROUP BY s.school_id, s.class_id ORDER BY s.school_id, s.class_id"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { ClassHeadcount(schoolID: $0[0], classID: $0[1], students: $0[2]) }
    }
}
