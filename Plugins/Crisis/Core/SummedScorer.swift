/// Scores `.summed` instruments: sum, prorate or invalidate, band, flags.
enum SummedScorer {
    /// Flag raised when too many items are unanswered to score.
    static let invalidFlag = "invalid_missing_answers"
    /// Flag raised when the total reaches the definition's `referAt`.
    static let referFlag = "refer"
    /// Flag raised when any safety question (an item with a flag rule, or an extra that raises a
    /// flag) was left unanswered; each such question also raises its own `…_unanswered` flag.
    public static let safetyUnansweredFlag = "safety_unanswered"

    /// The flag of an item with a flag rule left unanswered, e.g. "item9_unanswered".
    static func unansweredFlag(item: Int) -> String { "item\(item)_unanswered" }
    /// The flag of a flag-raising extra left unanswered, e.g. "past_attempt_unanswered".
    static func unansweredFlag(extra id: String) -> String { "\(id)_unanswered" }

    static func score(_ answers: ScreeningAnswers, with definition: InstrumentDefinition) throws(ScoringError) -> ScoreResult {
        try AnswerValidation.check(answers, against: definition)
        let answered = answers.items.compactMap { $0 }
        let missing = definition.itemCount - answered.count
        let sum = answered.reduce(0, +)

        var flags: [String] = []
        var notes: [String] = []
        var safetyUnanswered = false
        for rule in definition.itemFlags {
            if let value = answers.items[rule.item - 1] {
                notes.append("item \(rule.item) = \(value)")
                if value >= rule.atLeast { flags.append(rule.flag) }
            } else {
                // Unanswered is not positive, but it proves nothing either: safety beats
                // completeness, so it raises a flag the policy can act on (a review).
                notes.append("item \(rule.item) unanswered")
                let flag = unansweredFlag(item: rule.item)
                if !flags.contains(flag) { flags.append(flag) }
                safetyUnanswered = true
            }
        }
        for extra in definition.extras {
            guard let yes = answers.extras[extra.id] else {
                notes.append("\(extra.id) unanswered")
                if extra.flagWhenYes != nil {
                    flags.append(unansweredFlag(extra: extra.id))
                    safetyUnanswered = true
                }
                continue
            }
            if yes {
                notes.append("\(extra.id) = yes")
                if let flag = extra.flagWhenYes { flags.append(flag) }
            }
        }
        if safetyUnanswered { flags.append(safetyUnansweredFlag) }

        let total: Int?
        let band: String
        var head: String
        if missing > definition.maxMissingToProrate {
            total = nil
            band = ScoreResult.invalidBand
            flags.append(invalidFlag)
            head = "\(definition.shortName) invalid: \(missing) of \(definition.itemCount) items unanswered (at most \(definition.maxMissingToProrate) may be prorated)"
        } else {
            let value = missing == 0 ? sum : prorate(sum: sum, answered: answered.count, itemCount: definition.itemCount)
            total = value
            // Validation guarantees the bands cover every reachable total.
            band = definition.band(for: value)?.name ?? ScoreResult.invalidBand
            if let referAt = definition.referAt, value >= referAt { flags.append(referFlag) }
            head = "\(definition.shortName) total \(value) (\(band))"
            if missing > 0 {
                head += ", prorated from \(sum) over \(answered.count) of \(definition.itemCount) items"
            }
        }
        let explanation = ([head] + notes).joined(separator: ", ")
        return ScoreResult(
            instrumentID: definition.id, instrumentVersion: definition.version, total: total,
            prorated: total != nil && missing > 0, band: band, flags: flags, explanation: explanation
        )
    }

    /// `sum × itemCount ÷ answered`, rounded half away from zero (e.g. 13 × 9 ÷ 8 =
    /// 14.625 → 15; 10 × 9 ÷ 4 = 22.5 → 23). Integer arithmetic, so no binary
    /// floating-point surprise at exact halves; sums are never negative.
    static func prorate(sum: Int, answered: Int, itemCount: Int) -> Int {
        let numerator = sum * itemCount
        let magnitude = (2 * abs(numerator) + answered) / (2 * answered)
        return numerator < 0 ? -magnitude : magnitude
    }
}
