import GRDB

/// Read-only access to the host's directory (schools, classes, students, guardians, staff and
/// heart grids) for plugins: the only code outside the directory that reads its tables.
///
/// Reached as `context.directory` in a handler and used with the `db` of `context.store.read`
/// or `write`, so directory facts are read in the same snapshot as the plugin's own rows. Every
/// read is a plain cached statement on the shared database in the plugin's process: no call to
/// the host, no second transaction.
///
/// ```swift
/// try await context.store.write { db in
///     guard let student = try context.directory.student("S2024-0113", in: db) else {
///         throw RPCError(.notFound, "student S2024-0113 not found")
///     }
///     guard try context.directory.staff(ownerID, in: db) != nil else {
///         throw RPCError.invalidField("owner_id", "no staff member \(ownerID) in the directory")
///     }
///     …
/// }
/// ```
///
/// The reader is written against the directory migration ``writtenAgainst``; a plugin refuses to
/// start on a database that lacks it (``requireSchema(in:)``).
public struct DirectoryReader: Sendable {
    /// Makes a reader; it holds nothing, so make one wherever it is needed.
    public init() {}

    // MARK: Students

    /// The student `id`, or nil when the directory has none.
    public func student(_ id: String, in db: Database) throws -> DirectoryStudent? {
        // Cached: this runs on every point read and write of a student's record, and preparing the
        // statement anew cost more than the lookup itself (issue 5 profile).
        try DirectoryStudent.fetchOne(db.cachedStatement(sql: "SELECT \(DirectoryStudent.columns) FROM \(DirectoryTables.students) WHERE id = ?"),
                                      arguments: [id])
    }

    /// The students among `ids` that the directory has, keyed by id, in one query.
    public func students(_ ids: some Collection<String>, in db: Database) throws -> [String: DirectoryStudent] {
        guard !ids.isEmpty else { return [:] }
        let statement = try db.cachedStatement(sql: """
            SELECT \(DirectoryStudent.columns) FROM \(DirectoryTables.students) WHERE id IN (SELECT value FROM json_each(?))
            """)
        var result: [String: DirectoryStudent] = [:]
        result.reserveCapacity(ids.count)
        let cursor = try DirectoryStudent.fetchCursor(statement, arguments: [JSONArgument.strings(Set(ids))])
        while let student = try cursor.next() { result[student.id] = student }
        return result
    }

    /// The student `id` with the school and class they are in now, or nil when the directory has no such student.
    public func placement(ofStudent id: String, in db: Database) throws -> DirectoryPlacement? {
        guard let student = try student(id, in: db),
              let school = try school(student.schoolID, in: db),
              let schoolClass = try schoolClass(student.classID, in: db)
        else { return nil }
        return DirectoryPlacement(student: student, school: school, schoolClass: schoolClass)
    }

    /// How many students the directory has within `scopes` (a principal's data scopes), in one
    /// school when `schoolID` is given: the denominator of completion rates.
    public func countStudents(within scopes: [DataScope], schoolID: String? = nil, in db: Database) throws -> Int64 {
        let scope = ScopeFilter(scopes: scopes, columns: ScopeColumns(school: "s.school_id", class: "s.class_id", student: "s.id"))
        var sql = "SELECT COUNT(*) FROM \(DirectoryTables.students) s WHERE \(scope.sql)"
        var arguments = scope.arguments
        if let schoolID, !schoolID.isEmpty {
            sql += " AND s.school_id = ?"
            arguments += [schoolID]
        }
        return try Int64.fetchOne(db, sql: sql, arguments: arguments) ?? 0
    }

    // MARK: Schools and classes

    /// The school `id`, or nil.
    public func school(_ id: String, in db: Database) throws -> DirectorySchool? {
        try DirectorySchool.fetchOne(db.cachedStatement(sql: "SELECT \(DirectorySchool.columns) FROM \(DirectoryTables.schools) WHERE id = ?"),
                                     arguments: [id])
    }

    /// The schools among `ids` that the directory has, keyed by id, in one query.
    public func schools(_ ids: some Collection<String>, in db: Database) throws -> [String: DirectorySchool] {
        guard !ids.isEmpty else { return [:] }
        let statement = try db.cachedStatement(sql: """
            SELECT \(DirectorySchool.columns) FROM \(DirectoryTables.schools) WHERE id IN (SELECT value FROM json_each(?))
            """)
        return try Dictionary(DirectorySchool.fetchAll(statement, arguments: [JSONArgument.strings(Set(ids))]).map { ($0.id, $0) },
                              uniquingKeysWith: { first, _ in first })
    }

    /// The class `id`, or nil.
    public func schoolClass(_ id: String, in db: Database) throws -> DirectoryClass? {
        try DirectoryClass.fetchOne(db.cachedStatement(sql: "SELECT \(DirectoryClass.columns) FROM \(DirectoryTables.classes) WHERE id = ?"),
                                    arguments: [id])
    }

    // MARK: Staff and guardians

    /// The member of staff `id` with their roles, or nil.
    public func staff(_ id: String, in db: Database) throws -> DirectoryStaffMember? {
        guard var member = try DirectoryStaffMember.fetchOne(
            db.cachedStatement(sql: "SELECT \(DirectoryStaffMember.columns) FROM \(DirectoryTables.staff) WHERE id = ?"), arguments: [id])
        else { return nil }
        member.roles = try String.fetchAll(
            db.cachedStatement(sql: "SELECT role FROM \(DirectoryTables.staffRoles) WHERE staff_id = ? ORDER BY role"), arguments: [id])
        return member
    }

    /// True when the directory has a member of staff `id` (cheaper than ``staff(_:in:)``).
    public func staffExists(_ id: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM \(DirectoryTables.staff) WHERE id = ?)"), arguments: [id]) ?? false
    }

    /// The guardians of student `studentID`, by name. Personal data: never log them.
    public func guardians(ofStudent studentID: String, in db: Database) throws -> [DirectoryGuardian] {
        try DirectoryGuardian.fetchAll(
            db.cachedStatement(sql: "SELECT \(DirectoryGuardian.columns) FROM \(DirectoryTables.guardians) WHERE student_id = ? ORDER BY name"),
            arguments: [studentID])
    }

    // MARK: Heart grids (心网格)

    /// The mentors (德育导师) whose heart grid holds `studentID`, sorted.
    public func mentors(ofStudent studentID: String, in db: Database) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT mentor_id FROM \(DirectoryTables.gridMembers) WHERE student_id = ? ORDER BY mentor_id"),
            arguments: [studentID])
    }

    /// The students in mentor `mentorID`'s heart grid, sorted.
    public func students(ofMentor mentorID: String, in db: Database) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT student_id FROM \(DirectoryTables.gridMembers) WHERE mentor_id = ? ORDER BY student_id"),
            arguments: [mentorID])
    }

    /// The mentors among `mentors` whose grid holds `studentID` (resolves "grid" data scopes).
    func mentors(ofStudent studentID: String, among mentors: [String], in db: Database) throws -> [String] {
        guard !mentors.isEmpty else { return [] }
        return try String.fetchAll(
            db.cachedStatement(sql: """
                SELECT mentor_id FROM \(DirectoryTables.gridMembers) WHERE student_id = ? AND mentor_id IN (SELECT value FROM json_each(?))
                """),
            arguments: [studentID, JSONArgument.strings(mentors)])
    }

    /// An SQL predicate true when the student id in `column` is in the grid of one of `count`
    /// mentors, given as `?` placeholders after it (for ``ScopeFilter``).
    static func inGridSQL(studentColumn column: String, mentorPlaceholders count: Int) -> String {
        let marks = Array(repeating: "?", count: count).joined(separator: ",")
        return "\(column) IN (SELECT student_id FROM \(DirectoryTables.gridMembers) WHERE mentor_id IN (\(marks)))"
    }
}
