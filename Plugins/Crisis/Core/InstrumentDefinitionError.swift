/// Why an instrument definition was rejected, naming the instrument and field.
///
/// `description` reads "instrument \"sdq\": bands: totals 5–6 are in no band".
public struct InstrumentDefinitionError: Error, Equatable, CustomStringConvertible {
    /// The instrument's id as written (may be empty when the id itself is the problem).
    public let instrument: String
    /// The field at fault, e.g. "bands", "item_flags[1].item", "id".
    public let field: String
    /// What is wrong, in words a person can act on.
    public let problem: String

    /// Creates an error.
    public init(instrument: String, field: String, problem: String) {
        self.instrument = instrument
        self.field = field
        self.problem = problem
    }

    /// "instrument \"id\": field: problem".
    public var description: String { "instrument \"\(instrument)\": \(field): \(problem)" }
}
