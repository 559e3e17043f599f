/// Why a health data file was rejected, naming the line and column to fix.
///
/// `description` reads "line 4, column 出生日期/birth_date: \"2009-02-30\" is not a real date".
public struct CrossCheckError: Error, Equatable, CustomStringConvertible {
    /// 1-based line in the file (the header is line 1).
    public let line: Int
    /// The column as named in the file's header; empty when the whole line or file is at fault.
    public let column: String
    /// What is wrong, in words a person can act on.
    public let problem: String

    /// Creates an error.
    public init(line: Int, column: String, problem: String) {
        self.line = line
        self.column = column
        self.problem = problem
    }

    /// "line N, column C: problem" (or "line N: problem").
    public var description: String {
        column.isEmpty ? "line \(line): \(problem)" : "line \(line), column \(column): \(problem)"
    }
}
