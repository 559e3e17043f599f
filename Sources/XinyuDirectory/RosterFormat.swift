import XinyuPluginSDK
import GRDB
import XinyuCSV

/// How one kind of roster file (schools, classes, students, guardians, staff) is read,
/// checked and written. The importer is generic over this.
protocol RosterFormat: Sendable {
    associatedtype Record: Sendable
    /// The kind in the plural, for messages and logs ("students").
    static var kind: String { get }
    /// The singular, for duplicate messages ("student").
    static var noun: String { get }
    static var columns: [RosterColumn] { get }
    /// Reads one row into a normalised record with every problem of its own values
    /// (parsing and format rules, not references).
    static func record(from values: RosterValues, today: CalendarDay) -> (Record, [FieldProblem])
    /// Problems with what the record refers to, skipping fields that already have a problem.
    static func referenceProblems(_ record: Record, _ lookup: RosterSnapshot, skipping: Set<String>) throws -> [FieldProblem]
    /// What must be unique within a file: the fields it is made of (the first is the one a
    /// duplicate is reported on), the key, and how to name it in a message (never a person's name).
    static func identity(_ record: Record) -> (fields: [String], key: String, label: String)
    /// Inserts the record or updates the row it matches; fields in `keeping` (optional
    /// columns the file does not have) keep their stored value on an existing row.
    static func save(_ db: Database, _ record: Record, now: Int64, keeping: Set<String>) throws
    /// The change of school or class that saving `record` makes, read before it is saved; nil
    /// for formats whose rows are not students, and for new or unmoved students.
    static func move(_ db: Database, _ record: Record) throws -> StudentMove?
}

extension RosterFormat {
    static func move(_ db: Database, _ record: Record) throws -> StudentMove? { nil }
}

extension Result where Failure == FieldProblemText {
    /// The value, or `fallback` after recording the problem against `field`.
    func value(or fallback: Success, field: String, into problems: inout [FieldProblem]) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let failure):
            problems.add(field, failure.text)
            return fallback
        }
    }
}

extension Array where Element == FieldProblem {
    /// Appends the rule problems whose field has no problem yet (a value that did not parse
    /// would otherwise also be reported as "is required").
    mutating func merge(_ more: [FieldProblem]) {
        let already = fields
        append(contentsOf: more.filter { !already.contains($0.field) })
    }
}
