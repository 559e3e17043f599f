/// Why a set of answers could not be scored, naming the field to fix.
///
/// `field` is "instrument", "items", "item N" (1-based, as printed on the
/// questionnaire) or "extras.NAME"; `description` is "field: problem", e.g.
/// "item 3: 4 is out of range 0–3".
public struct ScoringError: Error, Equatable, CustomStringConvertible {
    /// The field at fault: "instrument", "items", "item 3", "extras.past_attempt".
    public let field: String
    /// What is wrong with it, in words a person can act on.
    public let problem: String

    /// Creates an error for `field`.
    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    /// "field: problem".
    public var description: String { "\(field): \(problem)" }
}
