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
    /// Column with a student id whose school and class are read from the directory as it is now
    /// (matched by `school` and `class` scopes when ``school`` and ``class`` are not named): scope
    /// follows the student's current place, not a copy in the row (see ``currentPlacement(ofStudent:agency:)``).
    public var placedStudent: String?

    /// Names the columns; leave out those the query does not have.
    public init(school: String? = nil, class: String? = nil, grid: String? = nil, agency: String? = nil, student: String? = nil) {
        self.school = school
        self.class = `class`
        self.grid = grid
        self.agency = agency
        self.student = student
    }

    /// Scope by the directory's current placement of the student in `column`: a school's staff see
    /// the rows of the students who are in their school now, whatever school a row was written
    /// in; `student` and `grid` scopes match the same column. For tables that keep copies of a
    /// student's school and class as history (a transfer after 休学复学 must move the view).
    ///
    /// ```swift
    /// let f = context.scopeFilter(.currentPlacement(ofStudent: "c.student_id"))
    /// ```
    public static func currentPlacement(ofStudent column: String, agency: String? = nil) -> ScopeColumns {
        var columns = ScopeColumns(agency: agency, student: column)
        columns.placedStudent = column
        return columns
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
