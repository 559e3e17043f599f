/// A suggested warning level (三级预警: 1 most severe … 3; nil = none) with its explanation.
///
/// A suggestion, never a decision: a psychology teacher confirms or changes
/// the level, and the explanation is stored with it so anyone can later see
/// how it was reached, e.g. "PHQ-A total 21 (severe), item 9 = 2 → level 1
/// under policy 2024-1 (rule: phq-a, phq-9 flag item9_positive)".
public struct LevelSuggestion: Sendable, Equatable {
    /// 1 (most severe), 2 or 3; nil when no rule matched.
    public var level: Int?
    /// Which result and rule gave the level, naming the policy.
    public var explanation: String

    /// Creates a suggestion.
    public init(level: Int?, explanation: String) {
        self.level = level
        self.explanation = explanation
    }
}
