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

    /// The scope filter for crisis tables aliased `alias` (they all carry school, class and student ids).
    func crisisScope(_ alias: String) -> ScopeFilter {
        scopeFilter(ScopeColumns(school: "\(alias).school_id", class: "\(alias).class_id", student: "\(alias).student_id"))
    }
}
