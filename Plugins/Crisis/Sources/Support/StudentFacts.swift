import GRDB
import XinyuPluginSDK

/// What the crisis plugin needs to know about a student from the directory (read only).
struct StudentFacts: Sendable, Hashable {
    let id: String
    let schoolID: String
    let classID: String

    var scopeTarget: ScopeTarget { ScopeTarget(schoolID: schoolID, classID: classID, studentID: id) }

    /// One student, or nil when the directory has none.
    static func fetch(_ db: Database, id: String) throws -> StudentFacts? {
        // A cached statement: this runs on every point read and write, and preparing it anew
        // (parse, plan, GRDB's authorizer) cost more than the lookup itself (issue 5 profile).
        try Row.fetchOne(db.cachedStatement(sql: "SELECT id, school_id, class_id FROM directory_students WHERE id = ?"), arguments: [id])
            .map { StudentFacts(id: $0["id"], schoolID: $0["school_id"], classID: $0["class_id"]) }
    }

    /// Many students in one query (the ids travel as one JSON parameter), keyed by id.
    static func fetchAll(_ db: Database, ids: [String]) throws -> [String: StudentFacts] {
        guard !ids.isEmpty else { return [:] }
        let statement = try db.cachedStatement(sql: """
            SELECT id, school_id, class_id FROM directory_students WHERE id IN (SELECT value FROM json_each(?))
            """)
        var result: [String: StudentFacts] = [:]
        result.reserveCapacity(ids.count)
        let rows = try Row.fetchCursor(statement, arguments: [JSONText.strings(Array(Set(ids)))])
        while let row = try rows.next() {
            let facts = StudentFacts(id: row["id"], schoolID: row["school_id"], classID: row["class_id"])
            result[facts.id] = facts
        }
        return result
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
