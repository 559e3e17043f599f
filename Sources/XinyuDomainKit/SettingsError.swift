/// Why a settings file was rejected: the file, the key and the problem.
///
/// `description` reads "Config/plugins/crisis.toml: instruments[1].bands: totals 5–6 are in no band".
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    /// The file (or other source) the text came from.
    public let source: String
    /// Dotted key path with 1-based list positions, e.g. "policy.rules[2].level";
    /// "line N" for TOML syntax errors.
    public let key: String
    /// What is wrong, in words a person can act on.
    public let problem: String

    /// Creates an error.
    public init(source: String, key: String, problem: String) {
        self.source = source
        self.key = key
        self.problem = problem
    }

    /// "source: key: problem".
    public var description: String { "\(source): \(key): \(problem)" }
}
