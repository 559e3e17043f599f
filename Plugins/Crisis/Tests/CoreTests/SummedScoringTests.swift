import Testing
@testable import XinyuCrisisCore
import XinyuDomainKit

@Suite("PHQ-9, PHQ-A and GAD-7 scoring")
struct SummedScoringTests {
    static let phqEdges: [(Int, String)] = [
        (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
        (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe"),
    ]

    @Test("PHQ band edges", arguments: ["phq-9", "phq-a"], phqEdges)
    func phqBands(instrument: String, edge: (Int, String)) throws {
        let items = answers(total: edge.0, items: 9)
        let result = try score(instrument, items)
        #expect(result.total == edge.0)
        #expect(result.band == edge.1)
        #expect(result.prorated == false)
        #expect(result.instrumentID == instrument)
        #expect(result.instrumentVersion == "2024-1")
        // Only total 27 needs item 9 > 0 with this filling. PHQ-A's suicide questions were not
        // asked here: unanswered, they raise their flags (safety beats completeness).
        let unanswered = instrument == "phq-a" ? Self.extrasUnanswered : []
        #expect(result.flags == (items[8]! > 0 ? ["item9_positive"] : []) + unanswered)
    }

    static let extrasUnanswered = ["suicidal_thoughts_past_month_unanswered", "past_attempt_unanswered", "safety_unanswered"]

    @Test("GAD-7 band edges and refer at 10", arguments: [
        (0, "minimal", false), (4, "minimal", false), (5, "mild", false), (9, "mild", false),
        (10, "moderate", true), (14, "moderate", true), (15, "severe", true), (21, "severe", true),
    ])
    func gadBands(total: Int, band: String, refer: Bool) throws {
        let result = try score("gad-7", answers(total: total, items: 7))
        #expect(result.total == total)
        #expect(result.band == band)
        #expect(result.flags == (refer ? ["refer"] : []))
    }

    @Test("item 9 > 0 flags whatever the total", arguments: ["phq-9", "phq-a"])
    func item9Override(instrument: String) throws {
        let result = try score(instrument, [1, 1, 0, 0, 0, 0, 0, 0, 1])
        #expect(result.total == 3)
        #expect(result.band == "minimal")
        #expect(result.flags == ["item9_positive"] + (instrument == "phq-a" ? Self.extrasUnanswered : []))
        #expect(result.explanation.contains("item 9 = 1"))
        #expect(WarningPolicy.default.suggest([result]).level == 1)
    }

    @Test("explanation names instrument, total, band and item 9")
    func explanation() throws {
        let result = try score("phq-a", [3, 3, 3, 3, 3, 2, 1, 1, 2])
        #expect(result.explanation.hasPrefix("PHQ-A total 21 (severe), item 9 = 2"))
    }

    @Test("PHQ-A suicide questions raise their own flags", arguments: [
        (["suicidal_thoughts_past_month": true], ["suicidal_thoughts_past_month", "past_attempt_unanswered", "safety_unanswered"]),
        (["past_attempt": true], ["suicidal_thoughts_past_month_unanswered", "past_attempt", "safety_unanswered"]),
        (["suicidal_thoughts_past_month": true, "past_attempt": true], ["suicidal_thoughts_past_month", "past_attempt"]),
        (["suicidal_thoughts_past_month": false, "past_attempt": false], []),
    ])
    func phqAExtras(extras: [String: Bool], flags: [String]) throws {
        let result = try score("phq-a", answers(total: 2, items: 9), extras: extras)
        #expect(result.flags == flags)
        #expect(result.band == "minimal")
    }

    @Test("PHQ-9 has no suicide extras")
    func phq9RejectsExtras() {
        let error = caught(ScoringError.self) { try score("phq-9", answers(total: 2, items: 9), extras: ["past_attempt": true]) }
        #expect(error?.field == "extras.past_attempt")
    }

    @Test("1–2 unanswered are prorated, half away from zero", arguments: [
        // sum 13 over 8 answered: 13 × 9 / 8 = 14.625 → 15
        ([3, 3, 3, 2, 1, 1, 0, 0, nil] as [Int?], 15, "moderately_severe"),
        // sum 12 over 8: 13.5 → 14 (a half, rounded away from zero)
        ([3, 3, 3, 3, 0, 0, 0, nil, 0] as [Int?], 14, "moderate"),
        // sum 10 over 7: 12.857 → 13
        ([nil, 3, 3, 2, 2, 0, 0, nil, 0] as [Int?], 13, "moderate"),
        // sum 7 over 7: 9
        ([1, 1, 1, 1, 1, 1, nil, nil, 1] as [Int?], 9, "mild"),
    ])
    func prorated(items: [Int?], total: Int, band: String) throws {
        let result = try score("phq-9", items)
        #expect(result.total == total)
        #expect(result.prorated)
        #expect(result.band == band)
        #expect(result.explanation.contains("prorated"))
    }

    @Test("3 unanswered make the result invalid")
    func invalid() throws {
        let result = try score("phq-a", [3, 3, nil, nil, nil, 0, 0, 0, 0], extras: ["suicidal_thoughts_past_month": false, "past_attempt": false])
        #expect(result.total == nil)
        #expect(result.band == "invalid")
        #expect(result.flags == ["invalid_missing_answers"])
        #expect(result.prorated == false)
    }

    @Test("an unanswered item 9 is not positive but is noted and flagged for the policy")
    func unansweredItem9() throws {
        let result = try score("phq-a", [1, 1, 1, 1, 1, 1, 1, 1, nil], extras: ["suicidal_thoughts_past_month": false, "past_attempt": false])
        #expect(!result.flags.contains("item9_positive"))
        #expect(result.flags == ["item9_unanswered", "safety_unanswered"])
        #expect(WarningPolicy.default.review(for: result)?.withinHours == 24)
        #expect(WarningPolicy.default.suggest([result]).level == nil, "a gap is no level: it asks for a review")
        #expect(result.explanation.contains("item 9 unanswered"))
        #expect(result.total == 9)
    }

    @Test("invalid totals still keep the item-9 flag")
    func invalidKeepsItem9() throws {
        let result = try score("phq-9", [nil, nil, nil, 0, 0, 0, 0, 0, 2])
        #expect(result.flags == ["item9_positive", "invalid_missing_answers"])
        #expect(WarningPolicy.default.suggest([result]).level == 1)
    }

    @Test("out-of-range answers name the item", arguments: [
        ("phq-9", 2, 4, "item 3: 4 is out of range 0–3"),
        ("phq-a", 0, -1, "item 1: -1 is out of range 0–3"),
        ("gad-7", 6, 7, "item 7: 7 is out of range 0–3"),
    ])
    func outOfRange(instrument: String, index: Int, value: Int, message: String) {
        var items = answers(total: 0, items: instrument == "gad-7" ? 7 : 9)
        items[index] = value
        let error = caught(ScoringError.self) { try score(instrument, items) }
        #expect(error?.field == "item \(index + 1)")
        #expect(error?.description == message)
    }

    @Test("wrong item count is an error on items", arguments: [("phq-9", 8), ("phq-a", 10), ("gad-7", 9)])
    func wrongCount(instrument: String, count: Int) {
        let error = caught(ScoringError.self) { try score(instrument, answers(total: 0, items: count)) }
        #expect(error?.field == "items")
        #expect(error?.problem.contains("\(count) answers") == true)
    }

    @Test("unknown instrument is an error on instrument")
    func unknownInstrument() {
        let error = caught(ScoringError.self) { try score("bdi-ii", [0]) }
        #expect(error?.field == "instrument")
    }

    @Test("proration rounds half away from zero", arguments: [
        (12, 8, 9, 14), (13, 8, 9, 15), (10, 4, 9, 23), (0, 7, 9, 0), (21, 7, 9, 27),
    ])
    func prorateArithmetic(sum: Int, answered: Int, itemCount: Int, expected: Int) {
        #expect(SummedScorer.prorate(sum: sum, answered: answered, itemCount: itemCount) == expected)
    }
}
