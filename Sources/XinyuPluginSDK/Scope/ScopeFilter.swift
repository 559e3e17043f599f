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
            // A scope with no ids or no matching column grants nothing: fail closed.
            guard !scope.ids.isEmpty, let column = columns.column(for: scope.kind) else { continue }
            parts.append("\(column) IN (\(Array(repeating: "?", count: scope.ids.count).joined(separator: ",")))")
            values.append(contentsOf: scope.ids)
        }
        self.sql = parts.isEmpty ? "(0)" : "(" + parts.joined(separator: " OR ") + ")"
        self.arguments = StatementArguments(values)
        self.isUnrestricted = false
    }
}
