/// A closed set of values kept as text in one database column: one declaration gives the
/// stored text of each value, the way back from text, and the column's SQL `CHECK` clause.
///
/// Declare the table once, beside the type (a generated proto enum or a Swift enum):
///
/// ```swift
/// extension Xinyu_Crisis_V1_CaseStatus: StoredEnum {
///     public static let storedCases: [(value: Self, text: String)] = [(.open, "open"), (.closed, "closed")]
/// }
/// // CREATE TABLE … status TEXT NOT NULL \(Xinyu_Crisis_V1_CaseStatus.checkClause("status")) …
/// let text = try Xinyu_Crisis_V1_CaseStatus.storedText(of: request.status, field: "status")  // SDK
/// message.status = try .stored(row["status"], column: "crisis_cases.status")
/// ```
///
/// A value missing from ``storedCases`` (a proto enum's `UNSPECIFIED` or an unknown number)
/// has no stored text, so it can never reach the database. A Swift `enum` with `String` raw
/// values and `CaseIterable` gets ``storedCases`` for free (its raw values are the texts).
public protocol StoredEnum: Hashable, Sendable {
    /// Every valid value with its stored text, in the order the CHECK clause lists them.
    static var storedCases: [(value: Self, text: String)] { get }
    /// What one value is called in errors, e.g. "school kind" ("9 is not a school kind").
    static var valueName: String { get }
    /// The accepted values as a person writes them, for errors; by default the stored texts.
    static var valueHint: String { get }
}

extension StoredEnum {
    /// "value".
    public static var valueName: String { "value" }

    /// The stored texts joined with ", " (e.g. "open, closed").
    public static var valueHint: String { storedTexts.joined(separator: ", ") }

    /// The stored texts, in declaration order.
    public static var storedTexts: [String] { storedCases.map(\.text) }

    /// The text this value is stored as, or nil when it is not a valid value (e.g. UNSPECIFIED).
    public var storedText: String? { Self.storedCases.first { $0.value == self }?.text }

    /// The stored text of a value the code itself chose (never one from a request: use the
    /// SDK's `storedText(of:field:)` there). A value without one is a programming error and traps.
    public var requiredStoredText: String {
        guard let text = storedText else { preconditionFailure("\(Self.self).\(self) has no stored text") }
        return text
    }

    /// The value stored as `text`, or nil when no value is stored so.
    public init?(storedText text: String) {
        guard let value = Self.storedCases.first(where: { $0.text == text })?.value else { return nil }
        self = value
    }

    /// The value stored as `text` in `column`; a text no value has means the row was written by
    /// something else than this declaration, which is a bug, never the caller's fault.
    public static func stored(_ text: String, column: String) throws(StoredValueError) -> Self {
        guard let value = Self(storedText: text) else { throw StoredValueError(column: column, text: text, known: storedTexts) }
        return value
    }

    /// `CHECK (column IN ('a', 'b'))`: the constraint a new table's column gets, so the SQL and
    /// the Swift table cannot drift apart.
    public static func checkClause(_ column: String) -> String {
        "CHECK (\(column) IN (\(storedTexts.map { "'\($0.replacingSingleQuotes)'" }.joined(separator: ", "))))"
    }
}

extension StoredEnum where Self: RawRepresentable, Self.RawValue == Int {
    /// Why a value sent in a request (a proto enum: 0 is UNSPECIFIED) is not valid, or nil:
    /// "is required (open, closed)" or "9 is not a school kind (…)".
    public static func problem(_ value: Self) -> String? {
        guard value.storedText == nil else { return nil }
        if value.rawValue == 0 { return "is required (\(valueHint))" }
        return "\(value.rawValue) is not a \(valueName) (\(valueHint))"
    }
}

extension StoredEnum where Self: CaseIterable, Self: RawRepresentable, Self.RawValue == String {
    /// Each case stored as its raw value.
    public static var storedCases: [(value: Self, text: String)] { allCases.map { ($0, $0.rawValue) } }
}

/// A column held a text that no value of its ``StoredEnum`` is stored as.
public struct StoredValueError: Error, Equatable, CustomStringConvertible {
    /// The column, e.g. "crisis_cases.status".
    public let column: String
    /// The text found.
    public let text: String
    /// The texts the declaration knows.
    public let known: [String]

    /// Creates an error about `text` found in `column`.
    public init(column: String, text: String, known: [String]) {
        self.column = column
        self.text = text
        self.known = known
    }

    /// "crisis_cases.status holds 'x', not one of open, closed".
    public var description: String { "\(column) holds '\(text)', not one of \(known.joined(separator: ", "))" }
}

private extension String {
    /// SQL string-literal escaping (a quote is doubled).
    var replacingSingleQuotes: String { split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") }
}
