/// Scores the C-SSRS screener (6 yes/no items, 0 = no, 1 = yes).
///
/// ```
/// Q1 wish to be dead      ─┐ always asked
/// Q2 active thoughts      ─┘
/// Q3 method               ─┐ asked only when Q2 is yes (nil when skipped)
/// Q4 intent               │
/// Q5 intent with plan     ─┘
/// Q6 behaviour            ── always asked; yes needs extras "q6_within_3_months"
/// ```
/// Risk: Q4 or Q5 yes, or Q6 yes within 3 months → "high" + flag "imminent"
/// (safety precautions until a professional evaluates); else Q3 yes or Q6 yes
/// over 3 months ago → "moderate"; else Q1 or Q2 yes → "low"; else "none".
///
/// Safety beats completeness: a Q4, Q5 or Q6 answered yes is high risk whatever else is
/// missing or inconsistent (Q1/Q2 unanswered, Q4 yes after Q2 no, Q6's date unanswered: a Q6
/// yes of unknown date counts as recent). Such a result is never refused; it carries the flag
/// "incomplete" when anything else was missing, and the explanation says what.
enum CSSRSScreenerScorer {
    /// The extra that dates a Q6 yes.
    static let q6RecentKey = "q6_within_3_months"
    /// Flag raised with "high" risk.
    static let imminentFlag = "imminent"
    /// Flag raised with a high risk stored although other answers were missing or inconsistent.
    static let incompleteFlag = "incomplete"

    static func score(_ answers: ScreeningAnswers, with definition: InstrumentDefinition) throws(ScoringError) -> ScoreResult {
        if let high = highRiskDespiteGaps(answers, with: definition) { return high }
        try AnswerValidation.check(answers, against: definition)
        let items = answers.items
        func required(_ number: Int) throws(ScoringError) -> Bool {
            guard let value = items[number - 1] else {
                throw ScoringError(field: "item \(number)", problem: "must be answered (0 = no, 1 = yes)")
            }
            return value == 1
        }
        let q1 = try required(1)
        let q2 = try required(2)
        var q3 = false, q4 = false, q5 = false
        if q2 {
            q3 = try required(3)
            q4 = try required(4)
            q5 = try required(5)
        } else {
            for number in 3...5 where items[number - 1] == 1 {
                throw ScoringError(field: "item \(number)", problem: "must be skipped when item 2 is no")
            }
        }
        let q6 = try required(6)
        var q6Recent = false
        if q6 {
            guard let recent = answers.extras[q6RecentKey] else {
                throw ScoringError(
                    field: "extras.\(q6RecentKey)",
                    problem: "item 6 is yes, so say whether the behaviour was within the past 3 months"
                )
            }
            q6Recent = recent
        }

        let band: String
        var reasons: [String] = []
        if q4 || q5 || (q6 && q6Recent) {
            band = "high"
            if q4 { reasons.append("Q4 intent yes") }
            if q5 { reasons.append("Q5 intent with plan yes") }
            if q6 && q6Recent { reasons.append("Q6 behaviour yes within 3 months") }
        } else if q3 || q6 {
            band = "moderate"
            if q3 { reasons.append("Q3 method yes") }
            if q6 { reasons.append("Q6 behaviour yes over 3 months ago") }
        } else if q1 || q2 {
            band = "low"
            if q1 { reasons.append("Q1 wish to be dead yes") }
            if q2 { reasons.append("Q2 active thoughts yes") }
        } else {
            band = "none"
            reasons.append("all answers no")
        }
        let flags = band == "high" ? [imminentFlag] : []
        let explanation = "\(definition.shortName) \(band) risk: " + reasons.joined(separator: ", ")
        return ScoreResult(
            instrumentID: definition.id, instrumentVersion: definition.version, total: nil,
            prorated: false, band: band, flags: flags, explanation: explanation
        )
    }

    /// A high-risk result read from Q4, Q5 and Q6 alone, before any other check can refuse the
    /// questionnaire; nil when none of them is a yes (the full checks then apply).
    static func highRiskDespiteGaps(_ answers: ScreeningAnswers, with definition: InstrumentDefinition) -> ScoreResult? {
        // Without the right number of answers no position can be trusted to be Q4–Q6.
        guard answers.items.count == definition.itemCount, definition.itemCount == 6 else { return nil }
        let items = answers.items
        let q4 = items[3] == 1, q5 = items[4] == 1, q6 = items[5] == 1
        let q6Date = answers.extras[q6RecentKey]
        guard q4 || q5 || (q6 && q6Date != false) else { return nil }
        var reasons: [String] = []
        if q4 { reasons.append("Q4 intent yes") }
        if q5 { reasons.append("Q5 intent with plan yes") }
        if q6 && q6Date == true { reasons.append("Q6 behaviour yes within 3 months") }
        if q6 && q6Date == nil { reasons.append("Q6 behaviour yes, date unanswered (counted as within 3 months)") }
        var gaps: [String] = []
        for (index, value) in items.enumerated() {
            if let value, !(definition.answerMin...definition.answerMax).contains(value) {
                gaps.append("item \(index + 1) = \(value) out of range, ignored")
            }
        }
        for number in [1, 2, 6] where items[number - 1] == nil { gaps.append("item \(number) unanswered") }
        if items[1] == 1 { for number in 3...5 where items[number - 1] == nil { gaps.append("item \(number) unanswered") } }
        if items[1] == 0 && (q4 || q5) { gaps.append("item 2 is no but a later intent item is yes") }
        if q6 && q6Date == nil { gaps.append("\(q6RecentKey) unanswered") }
        var flags = [imminentFlag]
        var explanation = "\(definition.shortName) high risk: " + reasons.joined(separator: ", ")
        if !gaps.isEmpty {
            flags.append(incompleteFlag)
            explanation += "; stored as high risk although incomplete (" + gaps.joined(separator: "; ") + ")"
        }
        return ScoreResult(
            instrumentID: definition.id, instrumentVersion: definition.version, total: nil,
            prorated: false, band: "high", flags: flags, explanation: explanation
        )
    }
}
