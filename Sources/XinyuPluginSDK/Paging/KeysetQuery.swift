import GRDB
import XinyuStore

/// A List query that answers one page at a time by keyset: rows after the last sort key sent,
/// never OFFSET, so rows added or removed meanwhile neither repeat nor go missing.
///
/// Give the columns, the table (or join), the filters and the sort key; `page` fetches one row
/// more than the page size to know whether another page follows, and makes the next page token
/// from the last row's sort key (a ``PageRequest`` names the list, its filters and the token).
///
/// ```swift
/// var query = KeysetQuery(select: "l.*", from: "crisis_levels l",
///                         orderBy: [.init("l.level", as: "level"), .init("l.student_id", as: "student_id")])
/// query.filter("l.level > 0")
/// query.filter(scope.sql, arguments: scope.arguments)
/// if !request.schoolID.isEmpty { query.filter("l.school_id = ?", [request.schoolID]) }
/// let page = try query.page(db, pageRequest, as: LevelRecord.self)
/// ```
///
/// The sort columns must be NOT NULL integers or text, and together unique (end with the id),
/// so the order is total; an index on them keeps every page a range scan.
public struct KeysetQuery: Sendable {
    /// One column of the sort key: the SQL expression, and the name it has in the selected row.
    public struct SortColumn: Sendable {
        /// The expression to order by and compare, e.g. "c.opened_at_ms".
        public let expression: String
        /// What it is called, e.g. "opened_at_ms", for readers of the query. The page token
        /// does not depend on it: the key is selected under names of its own.
        public let name: String

        /// A sort column `expression`, selected as `name`.
        public init(_ expression: String, as name: String) {
            self.expression = expression
            self.name = name
        }
    }

    private let columns: String
    private let source: String
    private let sort: [SortColumn]
    private let descending: Bool
    private var clauses: [String] = []
    private var arguments = StatementArguments()

    /// A query for `columns` from `source` (a table or a join), ordered by `orderBy`, ascending
    /// unless `descending` (one direction for the whole key).
    public init(select columns: String, from source: String, orderBy: [SortColumn], descending: Bool = false) {
        precondition(!orderBy.isEmpty, "a keyset query needs a sort key")
        self.columns = columns
        self.source = source
        self.sort = orderBy
        self.descending = descending
    }

    /// Adds `clause` (with `?` placeholders for `values`) to the filters, joined with AND.
    public mutating func filter(_ clause: String, _ values: [(any DatabaseValueConvertible)?] = []) {
        clauses.append(clause)
        arguments += StatementArguments(values)
    }

    /// Adds a predicate that brings its own arguments, e.g. the caller's data-scope filter.
    public mutating func filter(_ clause: String, arguments more: StatementArguments) {
        clauses.append(clause)
        arguments += more
    }

    /// Adds a case-insensitive (for Latin letters) substring match of `column`; LIKE's
    /// wildcards in `text` are meant literally.
    public mutating func contains(_ column: String, _ text: String) {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        filter("\(column) LIKE ? ESCAPE '\\'", ["%\(escaped)%"])
    }

    /// How many rows match the filters, on every page.
    public func count(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM \(source) \(whereSQL(clauses))", arguments: arguments) ?? 0
    }

    /// The page `request` asks for, each row decoded by `decode`; with the total count when `countingTotal`.
    ///
    /// - Throws: INVALID_ARGUMENT naming the request's token field for a token that is damaged,
    ///   edited, issued by another list or database, or for other filters.
    public func page<Item>(_ db: Database, _ request: PageRequest, countingTotal: Bool = false, decode: (Row) throws -> Item) throws -> Page<Item> {
        let secret = try PageTokenKey.load(db)
        var pageClauses = clauses
        var pageArguments = arguments
        if !request.token.isEmpty {
            let after = try PageToken.decode(request.token, list: request.list, filters: request.filters, keyCount: sort.count,
                                             field: request.field, secret: secret)
            let marks = Array(repeating: "?", count: sort.count).joined(separator: ", ")
            pageClauses.append("(\(sort.map(\.expression).joined(separator: ", "))) \(descending ? "<" : ">") (\(marks))")
            pageArguments += StatementArguments(after)
        }
        pageArguments += [request.size + 1]
        let order = sort.map { "\($0.expression)\(descending ? " DESC" : "")" }.joined(separator: ", ")
        // The sort key is selected under names of its own, so the next page's token never
        // depends on the caller's columns including it (`r.*` has no `at`, `h.id` no `at_ms`).
        let keys = sort.indices.map { "\(sort[$0].expression) AS \(Self.keyColumn($0))" }.joined(separator: ", ")
        // One extra row tells whether another page follows without a second query.
        var rows = try Row.fetchAll(db, sql: "SELECT \(columns), \(keys) FROM \(source) \(whereSQL(pageClauses)) ORDER BY \(order) LIMIT ?",
                                    arguments: pageArguments)
        var next = ""
        if rows.count > request.size {
            rows.removeLast()
            let last = rows[rows.count - 1]
            next = try PageToken.encode(list: request.list, filters: request.filters,
                                        key: sort.indices.map { last[Self.keyColumn($0)] ?? .null }, secret: secret)
        }
        return Page(items: try rows.map(decode), nextPageToken: next, total: countingTotal ? try count(db) : nil)
    }

    /// The page `request` asks for, as records.
    public func page<Record: FetchableRecord>(_ db: Database, _ request: PageRequest, countingTotal: Bool = false, as type: Record.Type) throws -> Page<Record> {
        try page(db, request, countingTotal: countingTotal) { try Record(row: $0) }
    }

    /// The name the `index`th sort column is selected under.
    private static func keyColumn(_ index: Int) -> String { "xinyu_page_key_\(index)" }

    private func whereSQL(_ clauses: [String]) -> String {
        clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    }
}
