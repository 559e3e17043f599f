/// The scored result of one questionnaire.
///
/// Results are stored with the warning record they led to, so everything a
/// reviewer needs later is here: which instrument and version scored it, the
/// total and band, stable flag ids for rules to match, and a sentence for people.
public struct ScoreResult: Sendable, Equatable, Codable {
    /// The instrument's id: "phq-a", "phq-9", "gad-7", "c-ssrs-screener", or a configured id.
    public var instrumentID: String
    /// The instrument definition's version, e.g. "2024-1".
    public var instrumentVersion: String
    /// The (possibly prorated) total; nil when invalid or not a summed instrument (C-SSRS).
    public var total: Int?
    /// True when the total was prorated from partly unanswered items.
    public var prorated: Bool
    /// The band name: "minimal", "mild", "moderate", "moderately_severe", "severe";
    /// for the C-SSRS screener "none", "low", "moderate", "high"; or "invalid".
    public var band: String
    /// Stable flag ids, e.g. "item9_positive", "suicidal_thoughts_past_month",
    /// "past_attempt", "refer", "imminent", "invalid_missing_answers".
    public var flags: [String]
    /// A sentence for people, e.g. "PHQ-A total 21 (severe), item 9 = 2".
    public var explanation: String

    /// The band given to a summed instrument with too many unanswered items.
    public static let invalidBand = "invalid"

    /// Creates a result; scoring code normally builds these through `InstrumentCatalog.score`.
    public init(
        instrumentID: String, instrumentVersion: String, total: Int?, prorated: Bool,
        band: String, flags: [String], explanation: String
    ) {
        self.instrumentID = instrumentID
        self.instrumentVersion = instrumentVersion
        self.total = total
        self.prorated = prorated
        self.band = band
        self.flags = flags
        self.explanation = explanation
    }
}
