import GRDB
import XinyuWire

/// One page of a List method: rows matching the filters, in id order, after the page's cursor,
/// with the number of all matching rows.
struct ListQuery {
    let table: String
    let columns: String
    private var clauses: [String] = []
    private var arguments = StatementArguments()

    init(table: String, columns: String) {
        self.table = table
        self.columns = columns
    }

    /// Adds `clause` (with `?` placeholders for `values`) to the filters.
    mutating func filter(_ clause: String, _ values: [(any DatabaseValueConvertible)?]) {
        clauses.append(clause)
        arguments += StatementArguments(values)
    }

    /// Adds a predicate that brings its own arguments, e.g. the caller's data-scope filter.
    mutating func filter(_ clause: String, arguments more: StatementArguments) {
        clauses.append(clause)
        arguments += more
    }

    /// Adds a case-insensitive (for Latin letters) substring match of `column`.
    mutating func contains(_ column: String, _ text: String) {
        // LIKE's wildcards in the text are meant literally.
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        filter("\(column) LIKE ? ESCAPE '\\'", ["%\(escaped)%"])
    }

    /// The page's rows decoded, whether more follow, and how many rows match in all.
    func run<Item>(_ db: Database, page: PageRequest, decode: (Row) -> Item) throws -> (items: [Item], more: Bool, total: Int64) {
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let total = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) \(whereSQL)", arguments: arguments) ?? 0
        var pageClauses = clauses
        var pageArguments = arguments
        if let after = page.after {
            pageClauses.append("\(table).id > ?")
            pageArguments += [after]
        }
        pageArguments += [page.size + 1]
        let pageWhere = pageClauses.isEmpty ? "" : "WHERE " + pageClauses.joined(separator: " AND ")
        // One extra row tells whether another page follows without a second query.
        var rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) \(pageWhere) ORDER BY \(table).id LIMIT ?", arguments: pageArguments)
        let more = rows.count > page.size
        if more { rows.removeLast() }
        return (rows.map(decode), more, total)
    }
}
