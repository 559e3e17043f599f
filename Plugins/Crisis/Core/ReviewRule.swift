/// A rule of the warning policy that asks for a review rather than a level: a result of one of
/// `instruments` carrying `flag` must be reviewed by a psych teacher within `withinHours`.
///
/// Safety beats completeness: a PHQ-A whose item 9 or suicide questions were left unanswered
/// proves nothing either way, so by default a psych teacher asks the student within a day.
public struct ReviewRule: Sendable, Equatable, Codable {
    /// Instrument ids the rule applies to; never empty.
    public var instruments: [String]
    /// The flag the result must carry.
    public var flag: String
    /// Hours from the screening to the review's deadline (1…720).
    public var withinHours: Int

    /// Creates a rule.
    public init(instruments: [String], flag: String, withinHours: Int) {
        self.instruments = instruments
        self.flag = flag
        self.withinHours = withinHours
    }

    /// True when `result` is of one of the rule's instruments and carries its flag.
    public func matches(_ result: ScoreResult) -> Bool {
        instruments.contains(result.instrumentID) && result.flags.contains(flag)
    }

    /// E.g. "phq-a, phq-9 flag safety_unanswered: review within 24 hours".
    public var summary: String {
        "\(instruments.joined(separator: ", ")) flag \(flag): review within \(withinHours) hours"
    }

    /// The default: any PHQ safety question left unanswered → a review within 24 hours.
    public static let defaults = [ReviewRule(instruments: ["phq-a", "phq-9"], flag: SummedScorer.safetyUnansweredFlag, withinHours: 24)]
}

extension WarningPolicy {
    /// The most urgent review rule `result` matches (the shortest deadline), or nil.
    public func review(for result: ScoreResult) -> ReviewRule? {
        reviewRules.filter { $0.matches(result) }.min { $0.withinHours < $1.withinHours }
    }
}
