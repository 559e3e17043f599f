/// Answers to one questionnaire as submitted.
///
/// Items are in questionnaire order; `nil` means the item was left unanswered,
/// or (C-SSRS) skipped by the screener's skip logic. Extras are the named yes/no
/// questions an instrument asks besides its scored items.
public struct ScreeningAnswers: Sendable, Equatable {
    /// Item answers in order; nil = unanswered (or skipped by C-SSRS skip logic).
    public var items: [Int?]
    /// Named yes/no questions, e.g. PHQ-A "suicidal_thoughts_past_month",
    /// "past_attempt"; C-SSRS "q6_within_3_months".
    public var extras: [String: Bool]

    /// Creates answers from items in order and optional named extras.
    public init(items: [Int?], extras: [String: Bool] = [:]) {
        self.items = items
        self.extras = extras
    }
}
