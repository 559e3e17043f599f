/// Which columns of a query hold the facts a data scope is checked against.
///
/// Give every column your table (or join) has; a scope kind whose column is missing grants
/// nothing, so a query can never show more than the caller's scope by omission.
///
/// ```swift
/// let filter = context.scopeFilter(ScopeColumns(school: "c.school_id", class: "c.class_id", grid: "c.mentor_id"))
/// let rows = try Row.fetchAll(db, sql: "SELECT ... FROM crisis_cases c WHERE c.level = ? AND \(filter.sql)",
///                             arguments: [1] + filter.arguments)
/// ```
public struct ScopeColumns: Sendable, Hashable {
    /// Column with the school id (matched by `school` scopes).
    public var school: String?
    /// Column with the class id (matched by `class` scopes).
    public var `class`: String?
    /// Column with the id of the mentor whose heart grid (心网格) holds the student (matched by `grid` scopes).
    public var grid: String?
    /// Column with the agency id a record was shared with (matched by `agency` scopes).
    public var agency: String?
    /// Column with the student id (matched by `student` scopes: explicit grants of single students).
    public var student: String?

    /// Names the columns; leave out those the query does not have.
    public init(school: String? = nil, class: String? = nil, grid: String? = nil, agency: String? = nil, student: String? = nil) {
        self.school = school
        self.class = `class`
        self.grid = grid
        self.agency = agency
        self.student = student
    }

    func column(for kind: String) -> String? {
        switch kind {
        case DataScope.Kind.school: school
        case DataScope.Kind.class: self.class
        case DataScope.Kind.grid: grid
        case DataScope.Kind.agency: agency
        case DataScope.Kind.student: student
        default: nil
        }
    }
}
