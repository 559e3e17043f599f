import GRDB
import XinyuPluginSDK

/// What the crisis plugin needs to know about a student from the directory (read only).
struct StudentFacts: Sendable, Hashable {
    let id: String
    let schoolID: String
    let classID: String

    var scopeTarget: ScopeTarget { ScopeTarget(schoolID: schoolID, classID: classID, studentID: id) }

    /// The facts of a student the directory holds.
    init(_ student: DirectoryStudent) {
        self.init(id: student.id, schoolID: student.schoolID, classID: student.classID)
    }

    init(id: String, schoolID: String, classID: String) {
        self.id = id
        self.schoolID = schoolID
        self.classID = classID
    }

    /// One student, or nil when the directory has none.
    static func fetch(_ db: Database, id: String) throws -> StudentFacts? {
        try DirectoryReader().student(id, in: db).map(StudentFacts.init)
    }

    /// Many students in one query, keyed by id.
    static func fetchAll(_ db: Database, ids: [String]) throws -> [String: StudentFacts] {
        try DirectoryReader().students(ids, in: db).mapValues(StudentFacts.init)
    }

    /// Throws NOT_FOUND (like a missing record, `what` " not found") unless the caller's scope
    /// covers student `id` where the directory places them now. A student the directory no
    /// longer has is covered only by city-wide and explicit student scopes.
    static func requireVisible(_ db: Database, id: String, what: String, context: CallContext) throws {
        let target = try fetch(db, id: id)?.scopeTarget ?? ScopeTarget(studentID: id)
        try context.requireScope(target, what: what, hideExistence: true, in: db)
    }

    /// Resolves a student the caller may see, and records the access for the audit trail.
    /// A student outside the caller's scope is NOT_FOUND, exactly like one that does not exist.
    static func visible(_ db: Database, id: String, field: String = "student_id", context: CallContext) throws -> StudentFacts {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        context.touched(subjects: [id])
        guard let facts = try fetch(db, id: id) else { throw RPCError(.notFound, "student \(id) not found") }
        try context.requireScope(facts.scopeTarget, what: "student \(id)", hideExistence: true, in: db)
        return facts
    }
}

extension CallContext {
    /// The staff id behind a principal such as "staff:T0012", or the principal id itself.
    var staffID: String {
        principal.id.hasPrefix("staff:") ? String(principal.id.dropFirst("staff:".count)) : principal.id
    }

    /// The scope filter for crisis tables aliased `alias`: by the school and class the student is
    /// in now (the directory), not the copies a row keeps of where it was written, so a
    /// transferred student's records move to the new school's staff (issue 12 §4).
    func crisisScope(_ alias: String) -> ScopeFilter {
        scopeFilter(.currentPlacement(ofStudent: "\(alias).student_id"))
    }

    /// A list's "one school" filter (one `?`, the school id) for crisis tables aliased `alias`:
    /// the students in that school now.
    func crisisSchoolFilter(_ alias: String) -> String {
        DirectoryReader.inSchoolNowSQL(studentColumn: "\(alias).student_id")
    }
}
