/// Everything that makes a whole CSV file unusable.
///
/// Problems with a single row (too few or too many fields) are deliberately
/// not errors: the row is kept and `CSVTable.shapeProblem(of:)` describes it,
/// so an import can report every bad line at once instead of stopping at the first.
/// `description` is written for the person who has to fix the file.
public enum CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file contains no header line (it is empty or only blank lines).
    case empty
    /// The bytes at this 1-based line are neither UTF-8 nor GBK.
    case undecodable(line: Int)
    /// A quoted field that begins on this 1-based line never closes.
    case unterminatedQuote(line: Int)
    /// Two header columns have the same name (compared as `CSVTable.column(_:)` does).
    case duplicateHeader(name: String)
    /// The header column at this 1-based position has no name.
    case emptyHeader(column: Int)
    /// The file has more bytes than the reader's limit.
    case tooLarge(bytes: Int, limit: Int)
    /// The header has more columns than the reader's `maxFields`. Data rows that
    /// are too wide are not errors; they are reported by `shapeProblem(of:)`.
    case tooManyColumns(count: Int, limit: Int)

    /// A sentence a person can act on, naming the line or column where possible.
    public var description: String {
        switch self {
        case .empty:
            return "the file is empty: the first line must be a header naming the columns"
        case .undecodable(let line):
            return "line \(line): this text is neither UTF-8 nor GBK; open the file in Excel and save it again as \"CSV UTF-8\""
        case .unterminatedQuote(let line):
            return "line \(line): a quoted field starts here and never ends; check for a stray \" character"
        case .duplicateHeader(let name):
            return "the header names the column \"\(name)\" more than once (case, spaces, _ and - are ignored); rename or delete one of them"
        case .emptyHeader(let column):
            return "the header's column \(column) has no name; give it a name or delete the column"
        case .tooLarge(let bytes, let limit):
            return "the file is \(bytes) bytes, more than the limit of \(limit) bytes; split it into smaller files"
        case .tooManyColumns(let count, let limit):
            return "the header has \(count) columns, more than the limit of \(limit); delete the extra columns"
        }
    }
}
