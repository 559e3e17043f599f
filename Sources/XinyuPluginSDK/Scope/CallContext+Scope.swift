import GRDB
import XinyuWire

extension CallContext {
    /// The SQL predicate that limits a query to what the caller may see. The one way plugins
    /// apply data scopes to lists and statistics.
    public func scopeFilter(_ columns: ScopeColumns) -> ScopeFilter {
        ScopeFilter(scopes: principal.scopes, columns: columns)
    }

    /// Throws unless the caller's scopes cover `target`; the violation is recorded for the audit
    /// trail either way.
    ///
    /// - Parameter hideExistence: answer NOT_FOUND instead of PERMISSION_DENIED, for records
    ///   whose mere existence is sensitive (e.g. that a student has a crisis case). `what` is
    ///   then the same message a missing record would give.
    public func requireScope(_ target: ScopeTarget, what: String, hideExistence: Bool = false) throws {
        guard !target.isCovered(by: principal.scopes) else { return }
        noteForAudit("scope violation: \(what) is outside the caller's data scope")
        if let student = target.studentID { touched(subjects: [student]) }
        if hideExistence {
            throw RPCError(.notFound, "\(what) not found")
        }
        throw RPCError(.permissionDenied, "\(what) is outside the data scope of \(principal.id)")
    }

    /// Like ``requireScope(_:what:hideExistence:)``, resolving "grid" scopes (心网格) for the
    /// target's student from the directory inside `db`, so a mentor reaches the students of
    /// their grid. Use it wherever a record belongs to one student.
    public func requireScope(_ target: ScopeTarget, what: String, hideExistence: Bool = false, in db: Database) throws {
        var resolved = target
        let mentors = principal.scopes.filter { $0.kind == DataScope.Kind.grid }.flatMap(\.ids)
        if let student = target.studentID, !mentors.isEmpty, !target.isCovered(by: principal.scopes) {
            resolved.mentorIDs += try GridMembership.mentors(of: student, among: mentors, in: db)
        }
        try requireScope(resolved, what: what, hideExistence: hideExistence)
    }
}
