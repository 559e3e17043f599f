/// The city's policy mapping screening results to warning levels (三级预警).
///
/// Bands are not warning levels: the mapping is policy, so it lives in
/// configuration (`[[policy.rules]]` in crisis.toml) and its id is quoted in
/// every explanation. `suggest` gives the most severe level any rule matches.
public struct WarningPolicy: Sendable, Equatable, Codable {
    /// One mapping: a result of one of `instruments` that satisfies every given
    /// condition (band, flag, minimum total) suggests `level`.
    public struct Rule: Sendable, Equatable, Codable {
        /// Instrument ids the rule applies to; never empty.
        public var instruments: [String]
        /// Band the result must be in, if set.
        public var band: String?
        /// Flag the result must carry, if set.
        public var flag: String?
        /// Smallest total (prorated totals count; invalid totals never match), if set.
        public var minTotal: Int?
        /// Suggested level: 1 (most severe), 2 or 3.
        public var level: Int

        /// Creates a rule; at least one of `band`, `flag`, `minTotal` should be set.
        public init(instruments: [String], band: String? = nil, flag: String? = nil, minTotal: Int? = nil, level: Int) {
            self.instruments = instruments
            self.band = band
            self.flag = flag
            self.minTotal = minTotal
            self.level = level
        }

        /// True when `result` satisfies every condition of the rule.
        public func matches(_ result: ScoreResult) -> Bool {
            guard instruments.contains(result.instrumentID) else { return false }
            if let band, result.band != band { return false }
            if let flag, !result.flags.contains(flag) { return false }
            if let minTotal {
                guard let total = result.total, total >= minTotal else { return false }
            }
            return true
        }

        /// E.g. "phq-a, phq-9 flag item9_positive".
        public var summary: String {
            var parts = [instruments.joined(separator: ", ")]
            if let band { parts.append("band \(band)") }
            if let flag { parts.append("flag \(flag)") }
            if let minTotal { parts.append("total ≥ \(minTotal)") }
            return parts.joined(separator: " ")
        }
    }

    /// Policy id quoted in explanations, e.g. "2024-1".
    public var id: String
    /// Rules; order does not matter, the most severe match wins.
    public var rules: [Rule]
    /// Rules that ask for a review by a psych teacher (e.g. a safety question left unanswered).
    public var reviewRules: [ReviewRule]

    /// Creates a policy; without `reviewRules`, the default review rules apply.
    public init(id: String, rules: [Rule], reviewRules: [ReviewRule] = ReviewRule.defaults) {
        self.id = id
        self.rules = rules
        self.reviewRules = reviewRules
    }

    /// The most severe level any rule gives for any result, naming each result
    /// and rule that gave it; level nil when nothing matched.
    public func suggest(_ results: [ScoreResult]) -> LevelSuggestion {
        var best: Int?
        var reasons: [String] = []
        for result in results {
            // The most severe rule for this result; ties keep the first rule listed.
            let matched = rules.filter { $0.matches(result) }.min { $0.level < $1.level }
            guard let rule = matched else { continue }
            let reason = "\(result.explanation) (rule: \(rule.summary))"
            if best == nil || rule.level < best! {
                best = rule.level
                reasons = [reason]
            } else if rule.level == best {
                reasons.append(reason)
            }
        }
        guard let level = best else {
            let seen = results.isEmpty ? "no results" : results.map(\.explanation).joined(separator: "; ")
            return LevelSuggestion(level: nil, explanation: "no rule of policy \(id) matched: \(seen)")
        }
        return LevelSuggestion(
            level: level,
            explanation: reasons.joined(separator: "; ") + " → level \(level) under policy \(id)"
        )
    }
}
