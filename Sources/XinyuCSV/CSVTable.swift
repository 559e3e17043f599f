/// A parsed CSV file: a validated header plus data rows kept as found.
///
/// Rows are not forced to match the header because the caller reports per-row
/// problems together with its own field validation; see `shapeProblem(of:)`.
public struct CSVTable: Sendable {
    /// Header names, trimmed of surrounding whitespace; none empty, none duplicated.
    public let header: [String]
    /// Data rows only, in file order; fully blank lines are skipped.
    public let rows: [CSVRow]
    /// The encoding the file was decoded from.
    public let encoding: TextEncodingGuess
    /// `header` normalised for matching, computed once.
    private let keys: [String]

    init(header: [String], rows: [CSVRow], encoding: TextEncodingGuess) {
        self.header = header
        self.rows = rows
        self.encoding = encoding
        self.keys = header.map(HeaderKey.normalize)
    }

    /// Index of a header column, case-insensitive, ignoring surrounding spaces and
    /// `_`/`-`/space differences ("student_id" == "Student ID"), because people
    /// retype headers by hand.
    public func column(_ name: String) -> Int? {
        let key = HeaderKey.normalize(name)
        return keys.firstIndex(of: key)
    }

    /// "line N: expected H fields, found F" when the row's field count differs
    /// from the header's, else nil. Callers collect these alongside their own
    /// per-row checks so a person sees every bad line in one pass.
    public func shapeProblem(of row: CSVRow) -> String? {
        let found = row.foundFieldCount
        guard found != header.count else { return nil }
        let noun = header.count == 1 ? "field" : "fields"
        return "line \(row.line): expected \(header.count) \(noun), found \(found)"
    }
}
