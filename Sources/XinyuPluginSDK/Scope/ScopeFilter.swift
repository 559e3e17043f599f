import GRDB

/// An SQL predicate that keeps only the rows a principal's data scopes cover.
///
/// Scopes are alternatives: a row is visible when any one scope covers it. A principal with no
/// scope sees nothing (`0`), one with a `city` scope sees everything (`1`).
public struct ScopeFilter: Sendable {
    /// A parenthesised boolean SQL expression with `?` placeholders, e.g. `(c.school_id IN (?,?))`.
    public let sql: String
    /// The values for the placeholders, in order.
    public let arguments: StatementArguments
    /// True when the filter lets every row through (city-wide scope).
    public let isUnrestricted: Bool

    /// Builds the predicate for `scopes` over `columns`.
    public init(scopes: [DataScope], columns: ScopeColumns) {
        if scopes.contains(where: { $0.kind == DataScope.Kind.city }) {
            self.sql = "(1)"
            self.arguments = []
            self.isUnrestricted = true
            return
        }
        var parts: [String] = []
        var values: [String] = []
        for scope in scopes {
            guard !scope.ids.isEmpty else { continue }
            let marks = Array(repeating: "?", count: scope.ids.count).joined(separator: ",")
            if let column = columns.column(for: scope.kind) {
                parts.append("\(column) IN (\(marks))")
                values.append(contentsOf: scope.ids)
            } else if let placed = columns.placedStudent, let sql = DirectoryReader.placedSQL(studentColumn: placed, kind: scope.kind, placeholders: marks) {
                // The student's school or class as the directory holds it now.
                parts.append(sql)
                values.append(contentsOf: scope.ids)
            } else if scope.kind == DataScope.Kind.grid, let student = columns.student {
                // A row keyed by student is in a mentor's grid when the directory says so.
                parts.append(DirectoryReader.inGridSQL(studentColumn: student, mentorPlaceholders: scope.ids.count))
                values.append(contentsOf: scope.ids)
            }
            // Otherwise the scope grants nothing here: fail closed.
        }
        self.sql = parts.isEmpty ? "(0)" : "(" + parts.joined(separator: " OR ") + ")"
        self.arguments = StatementArguments(values)
        self.isUnrestricted = false
    }
}
